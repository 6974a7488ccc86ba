/**
 * Wire names of the EC2 Query API (protocol `ec2`, version 2016-11-15).
 *
 * Error codes are spelled as on "Error codes for the Amazon EC2 API"
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html); the cross-service
 * codes (SignatureDoesNotMatch, IncompleteSignature) as on the AWS "Common Errors" pages.
 * The EC2 page only says "400-series" / "500-series"; the statuses it does not give are ours
 * (docs/behaviour.md#error-statuses).
 */

export const EC2_API_VERSION = "2016-11-15";
export const EC2_XML_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
/** Signing name in the SigV4 credential scope. */
export const EC2_SERVICE_NAME = "ec2";

export const CONTENT_TYPE_FORM = "application/x-www-form-urlencoded";
/** As captured from real EC2 (botocore HTTPHeaders): `content-type: text/xml;charset=UTF-8`. */
export const CONTENT_TYPE_XML = "text/xml;charset=UTF-8";
/** The SDKs read `$metadata.requestId` from this header, not from the body. */
export const HEADER_REQUEST_ID = "x-amzn-requestid";
export const HEADER_AUTHORIZATION = "authorization";
export const HEADER_CONTENT_TYPE = "content-type";
export const HEADER_SERVER = "server";
export const SERVER_NAME = "AmazonEC2";

export const PARAM_ACTION = "Action";
export const PARAM_VERSION = "Version";
export const PARAM_DRY_RUN = "DryRun";
/** Presigned (query-string) SigV4 carries the scope here instead of in Authorization. */
export const PARAM_AMZ_CREDENTIAL = "X-Amz-Credential";
export const PARAM_AMZ_SIGNATURE = "X-Amz-Signature";
export const PARAM_FILTER = "Filter";
export const PARAM_TAG_SPECIFICATION = "TagSpecification";
export const MEMBER_NAME = "Name";
export const MEMBER_VALUE = "Value";
export const MEMBER_KEY = "Key";
export const MEMBER_TAG = "Tag";
export const MEMBER_RESOURCE_TYPE = "ResourceType";
/** Pagination members shared by the Describe* actions (EC2 API reference: MaxResults 5-1000). */
export const PARAM_MAX_RESULTS = "MaxResults";
export const PARAM_NEXT_TOKEN = "NextToken";
export const PARAM_INSTANCE_ID = "InstanceId";
export const PARAM_RESOURCE_ID = "ResourceId";

export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";
export const SIGV4_CREDENTIAL_FIELD = "Credential";
export const SIGV4_TERMINATOR = "aws4_request";

/** Unsigned requests get the SDKs' own fallback region. */
export const DEFAULT_REGION = "us-east-1";
/** The account id AWS documentation uses in its examples. */
export const DEFAULT_ACCOUNT_ID = "123456789012";

/** Bodies above this are refused before parsing (1 MiB; the EC2 limit itself is unpublished). */
export const MAX_QUERY_BODY_BYTES = 1024 * 1024;

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
export const XML_NAMESPACE_ATTRIBUTE = "xmlns";
export const XML_RESPONSE_SUFFIX = "Response";
export const XML_REQUEST_ID = "requestId";
export const XML_LIST_ITEM = "item";
export const XML_ERROR_ROOT = "Response";
export const XML_ERRORS = "Errors";
export const XML_ERROR = "Error";
export const XML_ERROR_CODE = "Code";
export const XML_ERROR_MESSAGE = "Message";
/** Capital "ID" in the error envelope, lower-case "requestId" in success bodies: both as EC2 sends them. */
export const XML_ERROR_REQUEST_ID = "RequestID";

export const ErrorCode = {
  AuthFailure: "AuthFailure",
  DryRunOperation: "DryRunOperation",
  FilterLimitExceeded: "FilterLimitExceeded",
  IncompleteSignature: "IncompleteSignature",
  IncorrectInstanceState: "IncorrectInstanceState",
  InstanceLimitExceeded: "InstanceLimitExceeded",
  InsufficientInstanceCapacity: "InsufficientInstanceCapacity",
  InternalError: "InternalError",
  InvalidId: "InvalidID",
  InvalidAction: "InvalidAction",
  InvalidAmiIdMalformed: "InvalidAMIID.Malformed",
  InvalidAmiIdNotFound: "InvalidAMIID.NotFound",
  InvalidInstanceIdMalformed: "InvalidInstanceID.Malformed",
  InvalidInstanceIdNotFound: "InvalidInstanceID.NotFound",
  InvalidLaunchTemplateIdMalformed: "InvalidLaunchTemplateId.Malformed",
  InvalidLaunchTemplateIdNotFound: "InvalidLaunchTemplateId.NotFound",
  InvalidLaunchTemplateIdVersionNotFound: "InvalidLaunchTemplateId.VersionNotFound",
  InvalidLaunchTemplateNameAlreadyExists: "InvalidLaunchTemplateName.AlreadyExistsException",
  InvalidLaunchTemplateNameMalformed: "InvalidLaunchTemplateName.MalformedException",
  InvalidLaunchTemplateNameNotFound: "InvalidLaunchTemplateName.NotFoundException",
  InvalidParameter: "InvalidParameter",
  InvalidParameterCombination: "InvalidParameterCombination",
  IdempotentParameterMismatch: "IdempotentParameterMismatch",
  IdempotentInstanceTerminated: "IdempotentInstanceTerminated",
  InvalidPaginationToken: "InvalidPaginationToken",
  InvalidParameterValue: "InvalidParameterValue",
  MissingAction: "MissingAction",
  MissingParameter: "MissingParameter",
  RequestEntityTooLarge: "RequestEntityTooLarge",
  RequestLimitExceeded: "RequestLimitExceeded",
  SignatureDoesNotMatch: "SignatureDoesNotMatch",
  TagLimitExceeded: "TagLimitExceeded",
  UnauthorizedOperation: "UnauthorizedOperation",
  UnknownParameter: "UnknownParameter",
  Unavailable: "Unavailable",
  UnsupportedOperation: "UnsupportedOperation",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  // Credentials that cannot be validated: 401, as real EC2 answers and the SDK/CLI surface it.
  [ErrorCode.AuthFailure]: 401,
  // A permitted DryRun fails with 412 (docs/behaviour.md#error-statuses).
  [ErrorCode.DryRunOperation]: 412,
  [ErrorCode.FilterLimitExceeded]: 400,
  [ErrorCode.IncompleteSignature]: 400,
  [ErrorCode.IncorrectInstanceState]: 400,
  [ErrorCode.InstanceLimitExceeded]: 400,
  // Listed among EC2's server errors (docs/sources.md#ec2-error-codes): the request was fine, the capacity was not.
  [ErrorCode.InsufficientInstanceCapacity]: 500,
  [ErrorCode.InternalError]: 500,
  [ErrorCode.InvalidId]: 400,
  [ErrorCode.InvalidAction]: 400,
  [ErrorCode.InvalidAmiIdMalformed]: 400,
  [ErrorCode.InvalidAmiIdNotFound]: 400,
  [ErrorCode.InvalidInstanceIdMalformed]: 400,
  [ErrorCode.InvalidInstanceIdNotFound]: 400,
  [ErrorCode.InvalidLaunchTemplateIdMalformed]: 400,
  [ErrorCode.InvalidLaunchTemplateIdNotFound]: 400,
  [ErrorCode.InvalidLaunchTemplateIdVersionNotFound]: 400,
  [ErrorCode.InvalidLaunchTemplateNameAlreadyExists]: 400,
  [ErrorCode.InvalidLaunchTemplateNameMalformed]: 400,
  [ErrorCode.InvalidLaunchTemplateNameNotFound]: 400,
  [ErrorCode.InvalidParameter]: 400,
  [ErrorCode.InvalidParameterCombination]: 400,
  [ErrorCode.IdempotentParameterMismatch]: 400,
  [ErrorCode.IdempotentInstanceTerminated]: 400,
  [ErrorCode.InvalidPaginationToken]: 400,
  [ErrorCode.InvalidParameterValue]: 400,
  [ErrorCode.MissingAction]: 400,
  [ErrorCode.MissingParameter]: 400,
  // EC2 publishes no body-size error; 413 is HTTP's own answer and the SDKs parse any status (docs/behaviour.md#error-statuses).
  [ErrorCode.RequestEntityTooLarge]: 413,
  // EC2 lists throttling among server errors ("500-series"); 503 is what clients retry on (docs/behaviour.md#error-statuses).
  [ErrorCode.RequestLimitExceeded]: 503,
  // SigV4 failures are 403 across AWS Query services (smithy aws.auth InvalidSignatureException).
  [ErrorCode.SignatureDoesNotMatch]: 403,
  [ErrorCode.TagLimitExceeded]: 400,
  // IAM/SCP deny (docs/sources.md#ec2-error-codes).
  [ErrorCode.UnauthorizedOperation]: 403,
  [ErrorCode.UnknownParameter]: 400,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.UnsupportedOperation]: 400,
};

/** Status EC2 answers a code with; codes outside the table are client errors (400), as most EC2 codes are. */
export function httpStatusForCode(code: string): number {
  return Object.hasOwn(STATUS_BY_CODE, code) ? STATUS_BY_CODE[code as ErrorCode] : 400;
}

/** EC2's sentence, verbatim (docs/sources.md#ec2-error-codes). */
export const MESSAGE_DRY_RUN = "Request would have succeeded, but DryRun flag is set.";
/** The server-error text from the EC2 error-code page, without its support advice. */
export const MESSAGE_INTERNAL_ERROR = "An internal error has occurred.";
