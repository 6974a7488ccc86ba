import { isDomainError } from "../domain/errors.ts";
import { ErrorCode, httpStatusForCode, MESSAGE_INTERNAL_ERROR } from "./constants.ts";
import { renderError } from "./xml.ts";

export interface QueryErrorResponse {
  readonly status: number;
  readonly code: string;
  readonly body: string;
}

/**
 * The one mapping from a thrown value to the EC2 error envelope. A DomainError keeps its code and
 * message; anything else is InternalError 500 with a fixed message, so no stack, path or library
 * text reaches the wire (log `err` yourself before calling this if you need it).
 */
export function toQueryError(err: unknown, requestId: string): QueryErrorResponse {
  if (isDomainError(err)) {
    return { status: httpStatusForCode(err.code), code: err.code, body: renderError(err.code, err.message, requestId) };
  }
  const code = ErrorCode.InternalError;
  return { status: httpStatusForCode(code), code, body: renderError(code, MESSAGE_INTERNAL_ERROR, requestId) };
}
