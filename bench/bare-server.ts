/**
 * The baseline: a bare node:http server that answers every request with the status, headers and
 * body our emulator gave for one IMDSv2 GET (captured by bench/run.ts, passed as a JSON file in
 * argv[2]). Date, Connection and Keep-Alive are left to node, as they are in our server.
 *
 * Prints one JSON line {"ready":true,"url":...} on stdout once listening on 127.0.0.1.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";

interface Replay {
  readonly status: number;
  /** Flat [name, value, name, value, ...] as writeHead takes it. */
  readonly headers: string[];
  readonly bodyBase64: string;
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write("usage: bare-server.ts REPLAY.json\n");
  process.exit(2);
}
const replay = JSON.parse(readFileSync(file, "utf8")) as Replay;
const status = replay.status;
const headers = replay.headers;
const body = Buffer.from(replay.bodyBase64, "base64");

// The same server options as src/imds/imds-host.ts, so only the request handler differs.
const server = createServer({ maxHeaderSize: 8192, keepAliveTimeout: 5_000, headersTimeout: 10_000, requestTimeout: 15_000 }, (_req, res) => {
  res.writeHead(status, headers);
  res.end(body);
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}` })}\n`);
});

const stop = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
