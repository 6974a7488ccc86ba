/** Wire names and fixed bodies of the Instance Metadata Service. */

/** Request header of a token PUT (clients send it in any case; HTTP header names are case-insensitive). */
export const HEADER_TOKEN_TTL = "x-aws-ec2-metadata-token-ttl-seconds";
/** Request header that carries the session token on GET/HEAD. */
export const HEADER_TOKEN = "x-aws-ec2-metadata-token";
/** Response header echoing the TTL, with EC2's casing on the wire. */
export const RESPONSE_HEADER_TOKEN_TTL = "X-Aws-Ec2-Metadata-Token-Ttl-Seconds";
export const HEADER_FORWARDED_FOR = "x-forwarded-for";
/** Request framing headers the handler reads itself: IMDS requests carry no body (see MAX_REQUEST_BODY_BYTES). */
export const HEADER_CONTENT_LENGTH = "content-length";
export const HEADER_TRANSFER_ENCODING = "transfer-encoding";
/** Sent with a throttling 503 (and a 429 when configured): how long a client should wait, in seconds. */
export const HEADER_RETRY_AFTER = "Retry-After";

export const TOKEN_PATH = "/latest/api/token";
export const SERVER_NAME = "EC2ws";

export const CONTENT_TYPE_TEXT = "text/plain";
export const CONTENT_TYPE_HTML = "text/html";
export const CONTENT_TYPE_BINARY = "application/octet-stream";

/** Bodies larger than this are refused: IMDS requests carry no body. */
export const MAX_REQUEST_BODY_BYTES = 1024;
export const MAX_HEADER_BYTES = 8192;

/**
 * EC2's error page, byte for byte as captured for a 404 (339 bytes, ISO-8859-1 declaration, two
 * TABs and a space before the DTD URL, one final LF). The real 400/403/405 bodies were never
 * captured; they reuse the template (docs/behaviour.md).
 */
export function errorPage(status: number, reason: string): string {
  return (
    '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n' +
    '\t\t "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n' +
    " <head>\n" +
    `  <title>${status} - ${reason}</title>\n` +
    " </head>\n" +
    " <body>\n" +
    `  <h1>${status} - ${reason}</h1>\n` +
    " </body>\n" +
    "</html>\n"
  );
}
