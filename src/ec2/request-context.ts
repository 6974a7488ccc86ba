/**
 * Who is calling and where: region and access key from the SigV4 credential scope, account from
 * a resolver. The signature itself is NOT verified here; that is a separate concern.
 *
 * `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2/ec2/aws4_request, SignedHeaders=..., Signature=...`
 * or, for presigned requests, the `X-Amz-Credential` query parameter. Unsigned requests get
 * DEFAULT_REGION and no access key. Message texts follow the wording AWS front ends use for
 * malformed scopes (our choice, not captured from EC2 itself: docs/behaviour.md#governance).
 */
import { DomainError } from "../domain/errors.ts";
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  EC2_SERVICE_NAME,
  ErrorCode,
  HEADER_AUTHORIZATION,
  PARAM_AMZ_CREDENTIAL,
  SIGV4_ALGORITHM,
  SIGV4_CREDENTIAL_FIELD,
  SIGV4_TERMINATOR,
} from "./constants.ts";
import type { QueryParams } from "./query-params.ts";

export interface RequestContext {
  readonly region: string;
  /** Undefined when the request is unsigned. */
  readonly accessKeyId: string | undefined;
  readonly accountId: string;
}

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export type AccountIdResolver = (accessKeyId: string | undefined) => string;
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface RequestContextOptions {
  readonly resolveAccountId?: AccountIdResolver;
  readonly defaultRegion?: string;
  /** Parsed query parameters, for presigned requests that carry X-Amz-Credential. */
  readonly params?: QueryParams;
}

const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ECHO_LIMIT = 200;

function echo(text: string): string {
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}...` : text;
}

function headerValue(headers: HeaderBag, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    // node lower-cases header names; plain objects from tests or other servers may not.
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  return typeof value === "string" ? value : value?.[0];
}

/** `AKID/20261129/us-west-2/ec2/aws4_request` -> its parts, or an AWS-shaped DomainError. */
export function parseCredentialScope(credential: string): CredentialScope {
  const parts = credential.split("/");
  if (parts.length !== 5) {
    throw new DomainError(
      ErrorCode.IncompleteSignature,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${echo(credential)}'`,
    );
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (accessKeyId === "") throw new DomainError(ErrorCode.IncompleteSignature, "Credential must contain an access key id.");
  if (terminator !== SIGV4_TERMINATOR) {
    throw new DomainError(
      ErrorCode.SignatureDoesNotMatch,
      `Credential should be scoped with a valid terminator: '${SIGV4_TERMINATOR}', not '${echo(terminator)}'.`,
    );
  }
  if (service !== EC2_SERVICE_NAME) {
    throw new DomainError(ErrorCode.SignatureDoesNotMatch, `Credential should be scoped to correct service: '${EC2_SERVICE_NAME}'.`);
  }
  if (!REGION.test(region)) {
    throw new DomainError(ErrorCode.SignatureDoesNotMatch, "Credential should be scoped to a valid region.");
  }
  return { accessKeyId, date, region, service };
}

/** The Credential=... field of a SigV4 Authorization header. */
export function credentialFromAuthorization(authorization: string): string {
  const trimmed = authorization.trim();
  const space = trimmed.indexOf(" ");
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new DomainError(ErrorCode.IncompleteSignature, `Unsupported Authorization Type '${echo(algorithm)}'.`);
  }
  for (const field of trimmed.slice(space + 1).split(",")) {
    const [name, ...rest] = field.trim().split("=");
    if (name === SIGV4_CREDENTIAL_FIELD) return rest.join("=");
  }
  throw new DomainError(ErrorCode.IncompleteSignature, `Authorization header requires '${SIGV4_CREDENTIAL_FIELD}' parameter.`);
}

export function deriveRequestContext(headers: HeaderBag, options: RequestContextOptions = {}): RequestContext {
  const { resolveAccountId = () => DEFAULT_ACCOUNT_ID, defaultRegion = DEFAULT_REGION, params } = options;
  const authorization = headerValue(headers, HEADER_AUTHORIZATION);
  const credential = authorization !== undefined ? credentialFromAuthorization(authorization) : params?.get(PARAM_AMZ_CREDENTIAL);
  if (credential === undefined) {
    return { region: defaultRegion, accessKeyId: undefined, accountId: resolveAccountId(undefined) };
  }
  const scope = parseCredentialScope(credential);
  return { region: scope.region, accessKeyId: scope.accessKeyId, accountId: resolveAccountId(scope.accessKeyId) };
}
