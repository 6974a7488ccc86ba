import { CONTENT_TYPE_BINARY, CONTENT_TYPE_HTML, CONTENT_TYPE_TEXT, errorPage, SERVER_NAME } from "./constants.ts";

/**
 * A response whose status, header list and body bytes are built once and written many times.
 * `headers` is the flat [name, value, ...] form node's writeHead takes without copying into an
 * object; `ttlHeaders` is the same list with one more slot for the remaining token TTL.
 */
export interface PreparedResponse {
  readonly status: number;
  readonly headers: string[];
  readonly ttlHeaders: string[];
  readonly body: Buffer;
}

export interface PrepareOptions {
  readonly lastModified: string;
  readonly connectionClose: boolean;
}

export function prepareResponse(
  status: number,
  contentType: string,
  body: Buffer,
  options: PrepareOptions,
  ttlHeaderName = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds",
): PreparedResponse {
  const headers = [
    "Content-Type", contentType,
    "Accept-Ranges", "none",
    "Last-Modified", options.lastModified,
    "Content-Length", String(body.length),
    "Server", SERVER_NAME,
  ];
  if (options.connectionClose) headers.push("Connection", "close");
  return { status, headers, ttlHeaders: [...headers, ttlHeaderName, ""], body };
}

export function prepareText(text: string, options: PrepareOptions): PreparedResponse {
  return prepareResponse(200, CONTENT_TYPE_TEXT, Buffer.from(text, "utf8"), options);
}

export function prepareBinary(bytes: Buffer, options: PrepareOptions): PreparedResponse {
  return prepareResponse(200, CONTENT_TYPE_BINARY, bytes, options);
}

/** The fixed answers that do not depend on an instance's data. */
export interface ErrorResponses {
  readonly badRequest: PreparedResponse;
  readonly unauthorized: PreparedResponse;
  readonly forbidden: PreparedResponse;
  readonly notFound: PreparedResponse;
  readonly methodNotAllowed: PreparedResponse;
  readonly payloadTooLarge: PreparedResponse;
}

export function prepareErrorResponses(options: PrepareOptions): ErrorResponses {
  const page = (status: number, reason: string) =>
    prepareResponse(status, CONTENT_TYPE_HTML, Buffer.from(errorPage(status, reason), "latin1"), options);
  return {
    badRequest: page(400, "Bad Request"),
    // EC2 answers 401 with an empty text/plain body (captured: Content-Length: 0).
    unauthorized: prepareResponse(401, CONTENT_TYPE_TEXT, Buffer.alloc(0), options),
    forbidden: page(403, "Forbidden"),
    notFound: page(404, "Not Found"),
    methodNotAllowed: page(405, "Method Not Allowed"),
    payloadTooLarge: prepareResponse(413, CONTENT_TYPE_HTML, Buffer.from(errorPage(413, "Request Entity Too Large"), "latin1"), {
      ...options,
      connectionClose: true,
    }),
  };
}

/** RFC 1123 date, the form of Last-Modified. */
export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}
