import { Buffer } from "node:buffer";
import { MAX_QUERY_BODY_BYTES } from "./constants.ts";
import { bodyTooLargeError } from "./query-params.ts";

/**
 * Collects a request body (an IncomingMessage is an AsyncIterable of Buffers), refusing with
 * DomainError RequestEntityTooLarge as soon as more than `maxBytes` arrive, so an oversized body
 * is never buffered whole. A declared Content-Length above the limit is refused before reading.
 * On refusal the caller still owns the stream (answer, then let the connection close).
 */
export async function readRequestBody(
  source: AsyncIterable<Uint8Array | string>,
  { maxBytes = MAX_QUERY_BODY_BYTES, contentLength }: { maxBytes?: number; contentLength?: string | undefined } = {},
): Promise<Buffer> {
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (declared > maxBytes) throw bodyTooLargeError(declared, maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buffer.byteLength;
    if (total > maxBytes) throw bodyTooLargeError(total, maxBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}
