/**
 * HTTP at the byte level: write exactly these request bytes on a fresh connection, read every byte
 * the server sends until it closes. For malformed requests and for golden files, where node's
 * client would normalise or refuse what we want to send.
 */
import { connect } from "node:net";

export class ExchangeTimeout extends Error {}

/** Resolves with everything the server wrote before closing; rejects after `timeoutMs`. */
export function rawExchange(port: number, request: string | Buffer, { timeoutMs = 3_000 } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ExchangeTimeout(`no close within ${timeoutMs} ms; got ${JSON.stringify(Buffer.concat(chunks).toString("latin1"))}`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A reset after the answer was sent still counts as an answer.
    socket.on("error", (err) => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks));
      else reject(err);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.end(request);
  });
}

export interface WireResponse {
  readonly statusLine: string;
  readonly status: number;
  /** In wire order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: Buffer;
  header(name: string): string | undefined;
}

/** The final response in `bytes`, after any 1xx interim responses (100 Continue). */
export function parseWireResponse(bytes: Buffer): WireResponse {
  let rest = bytes;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end === -1) throw new Error(`no complete response head in ${JSON.stringify(bytes.toString("latin1"))}`);
    const lines = rest.subarray(0, end).toString("latin1").split("\r\n");
    const statusLine = lines[0]!;
    const match = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
    if (match === null) throw new Error(`bad status line ${JSON.stringify(statusLine)}`);
    const status = Number(match[1]);
    const body = rest.subarray(end + 4);
    if (status >= 100 && status < 200) {
      rest = body;
      continue;
    }
    const headers = lines.slice(1).map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trim()] as const;
    });
    return {
      statusLine,
      status,
      headers,
      body,
      header: (name) => headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
    };
  }
}

/**
 * A response as a golden file pins it: status line, headers in wire order except Date (it
 * changes every second), blank line, body. CRLFs are kept, so the file is the wire bytes.
 */
export function formatForGolden(bytes: Buffer): string {
  const end = bytes.indexOf("\r\n\r\n");
  if (end === -1) throw new Error("no complete response head");
  const head = bytes
    .subarray(0, end)
    .toString("latin1")
    .split("\r\n")
    .filter((line) => !/^date:/i.test(line));
  return `${head.join("\r\n")}\r\n\r\n${bytes.subarray(end + 4).toString("latin1")}`;
}

/** A minimal request as a plain client sends it; `Connection: close` so the exchange ends. */
export function requestBytes(method: string, path: string, headers: Record<string, string> = {}): string {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 169.254.169.254"];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push("Connection: close");
  return `${lines.join("\r\n")}\r\n\r\n`;
}
