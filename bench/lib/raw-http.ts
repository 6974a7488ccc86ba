/**
 * One HTTP/1.1 request over a raw socket, returning the answer's exact bytes: the status line and
 * header lines in wire order and case, and the body. Used to capture what our server sends (for
 * the bare baseline to replay) and to check that the baseline sends the same bytes.
 */
import { connect } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly statusLine: string;
  /** [name, value] in wire order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
}

export function assertLoopback(url: string): URL {
  const parsed = new URL(url);
  if (parsed.hostname !== "127.0.0.1") throw new Error(`benchmark targets must be 127.0.0.1, got ${url}`);
  return parsed;
}

export function rawRequest(
  baseUrl: string,
  request: { method: string; path: string; headers?: Readonly<Record<string, string>>; body?: string },
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const url = assertLoopback(baseUrl);
  const port = Number(url.port);
  const body = request.body === undefined ? undefined : Buffer.from(request.body, "utf8");
  const lines = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  const head = `${lines.join("\r\n")}\r\n\r\n`;

  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer from ${baseUrl}${request.path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (result: RawResponse | Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const tryParse = (ended: boolean) => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      if (end === -1) {
        if (ended) finish(new Error("connection closed before the headers ended"));
        return;
      }
      const [statusLine = "", ...headerLines] = all.subarray(0, end).toString("latin1").split("\r\n");
      const headers = headerLines.map((line): [string, string] => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon), line.slice(colon + 1).trim()];
      });
      const length = headers.find(([n]) => n.toLowerCase() === "content-length");
      const bodyBytes = all.subarray(end + 4);
      const status = Number(statusLine.split(" ")[1]);
      if (headers.some(([n, v]) => n.toLowerCase() === "transfer-encoding" && v.toLowerCase().includes("chunked"))) {
        const decoded = decodeChunked(bodyBytes);
        if (decoded === undefined) {
          if (ended) finish(new Error("connection closed before the chunked body ended"));
          return;
        }
        finish({ status, statusLine, headers, body: decoded });
        return;
      }
      const want = length === undefined ? undefined : Number(length[1]);
      if (want !== undefined && bodyBytes.length < want) {
        if (ended) finish(new Error("connection closed before the body ended"));
        return;
      }
      if (want === undefined && !ended) return;
      finish({ status, statusLine, headers, body: want === undefined ? bodyBytes : bodyBytes.subarray(0, want) });
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      tryParse(false);
    });
    socket.on("end", () => tryParse(true));
    socket.on("error", (err) => finish(err));
    socket.write(head);
    if (body !== undefined) socket.write(body);
  });
}

/** The body of a complete `Transfer-Encoding: chunked` message, or undefined while it is incomplete. */
function decodeChunked(bytes: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString("latin1").split(";")[0]!.trim(), 16);
    if (!Number.isFinite(size)) throw new Error("malformed chunk size in a chunked answer");
    const start = lineEnd + 2;
    // The last chunk: "0" CRLF, optional trailer lines, CRLF.
    if (size === 0) return bytes.indexOf("\r\n\r\n", lineEnd) === -1 ? undefined : Buffer.concat(parts);
    if (bytes.length < start + size + 2) return undefined;
    parts.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
}

/** Headers node adds itself on every answer; the replay leaves them to node. */
export const NODE_ADDED_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

/** The answer as bytes, minus the Date line (which differs by the second). */
export function comparableBytes(response: RawResponse): string {
  const headerText = response.headers
    .filter(([name]) => name.toLowerCase() !== "date")
    .map(([name, value]) => `${name}: ${value}`)
    .join("\r\n");
  return `${response.statusLine}\r\n${headerText}\r\n\r\n${response.body.toString("latin1")}`;
}
