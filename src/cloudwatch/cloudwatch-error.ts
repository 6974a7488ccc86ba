/**
 * CloudWatch's errors as values: the Query code (`InvalidParameterValue`), the shape the JSON and
 * CBOR protocols name in `__type`, and the HTTP status, from the service model's error traits.
 */
export type CloudWatchErrorCode =
  | "InvalidParameterValue"
  | "InvalidParameterCombination"
  | "MissingParameter"
  | "InvalidNextToken"
  | "InvalidAction"
  | "InvalidClientTokenId"
  | "SignatureDoesNotMatch"
  | "IncompleteSignature"
  | "MissingAuthenticationToken"
  | "RequestExpired"
  | "AccessDenied";

const SHAPES: Readonly<Record<CloudWatchErrorCode, { shape: string; status: number }>> = {
  InvalidParameterValue: { shape: "InvalidParameterValueException", status: 400 },
  InvalidParameterCombination: { shape: "InvalidParameterCombinationException", status: 400 },
  MissingParameter: { shape: "MissingRequiredParameterException", status: 400 },
  InvalidNextToken: { shape: "InvalidNextToken", status: 400 },
  InvalidAction: { shape: "UnknownOperationException", status: 400 },
  // Common errors of every AWS API (CloudWatch API Reference, "Common Errors").
  InvalidClientTokenId: { shape: "InvalidClientTokenId", status: 403 },
  SignatureDoesNotMatch: { shape: "SignatureDoesNotMatch", status: 403 },
  IncompleteSignature: { shape: "IncompleteSignature", status: 400 },
  MissingAuthenticationToken: { shape: "MissingAuthenticationToken", status: 403 },
  RequestExpired: { shape: "RequestExpired", status: 400 },
  AccessDenied: { shape: "AccessDeniedException", status: 403 },
};

export class CloudWatchError extends Error {
  constructor(
    readonly code: CloudWatchErrorCode,
    message: string,
  ) {
    super(message);
  }

  get shape(): string {
    return SHAPES[this.code].shape;
  }

  get status(): number {
    return SHAPES[this.code].status;
  }
}

/** The SigV4 verifier speaks EC2's codes; CloudWatch spells two of them differently. */
export function fromAuthenticationCode(code: string, message: string): CloudWatchError {
  if (code === "AuthFailure") return new CloudWatchError("InvalidClientTokenId", "The security token included in the request is invalid.");
  if (code === "MissingParameter") return new CloudWatchError("MissingAuthenticationToken", "Request is missing Authentication Token");
  if (code === "SignatureDoesNotMatch" || code === "IncompleteSignature" || code === "RequestExpired") return new CloudWatchError(code, message);
  return new CloudWatchError("AccessDenied", message);
}
