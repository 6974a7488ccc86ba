/**
 * For the network-faithful IMDS tests (hop limit, IPv6, faults): an in-process ImdsHost with a
 * ManualClock and the optional deps set, and an HTTP request whose source address, timing and
 * abort the test controls.
 */
import { request, type Agent, type ClientRequest } from "node:http";
import { TOKEN_NONCE_BYTES } from "../../src/domain/tokens/session-token.ts";
import { ImdsHost, type ImdsHostDeps } from "../../src/imds/imds-host.ts";
import { ManualClock } from "../../src/platform/clock.ts";
import { createTokenMac } from "../../src/platform/crypto.ts";
import { CredentialIssuer } from "../../src/app/credential-issuer.ts";
import { fakeSigner, LAUNCH_TIME_MS, seededRandom } from "./imds-fixture.ts";

export function networkImdsHost(extra: Partial<ImdsHostDeps> = {}): { host: ImdsHost; clock: ManualClock } {
  const clock = new ManualClock(LAUNCH_TIME_MS);
  const nonces = seededRandom(7);
  const host = new ImdsHost({
    nowMs: () => clock.nowMs(),
    tokenMac: createTokenMac(new Uint8Array(32).fill(9)),
    nonce: () => nonces.bytes(TOKEN_NONCE_BYTES),
    credentials: new CredentialIssuer(seededRandom(42)),
    signer: fakeSigner,
    ...extra,
  });
  return { host, clock };
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface PendingRequest {
  readonly answer: Promise<Answer>;
  readonly request: ClientRequest;
  abort(): void;
}

/** One request on a fresh connection; `answer` rejects with the socket error (ECONNRESET, ECONNREFUSED, ...). */
export function send(
  baseUrl: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; localAddress?: string; agent?: Agent } = {},
): PendingRequest {
  const url = new URL(baseUrl);
  let req!: ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    req = request(
      {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: Number(url.port),
        method: options.method ?? "GET",
        path: options.path ?? "/latest/meta-data/instance-id",
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
  answer.catch(() => undefined);
  return { answer, request: req, abort: () => req.destroy() };
}

export function putToken(baseUrl: string, localAddress?: string, agent?: Agent): PendingRequest {
  return send(baseUrl, {
    method: "PUT",
    path: "/latest/api/token",
    headers: { "X-aws-ec2-metadata-token-ttl-seconds": "300" },
    ...(localAddress === undefined ? {} : { localAddress }),
    ...(agent === undefined ? {} : { agent }),
  });
}

/** Turns the event loop until `done()` holds (bounded: no timers, so no sleeping). */
export async function until(done: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 100_000; i++) {
    if (done()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`${what} did not happen`);
}
