import type { IncomingMessage, ServerResponse } from "node:http";
import { issueToken, parseTokenTtl, tokenRemainingSeconds, verifyToken, type TokenMac } from "../domain/tokens/session-token.ts";
import {
  HEADER_CONTENT_LENGTH,
  HEADER_FORWARDED_FOR,
  HEADER_TOKEN,
  HEADER_TOKEN_TTL,
  HEADER_TRANSFER_ENCODING,
  MAX_REQUEST_BODY_BYTES,
  TOKEN_PATH,
} from "./constants.ts";
import { applyFault, type FaultHooks } from "./active-fault.ts";
import { holdSilently, type HopLimitEnforcer } from "./hop-limit.ts";
import { Counter, type InstanceRuntime } from "./instance-runtime.ts";
import type { PreparedResponse } from "./prepared-response.ts";

export interface ImdsRequestDeps {
  readonly nowMs: () => number;
  readonly tokenMac: TokenMac;
  /** Fills a fresh 10-byte nonce for each token. */
  readonly nonce: () => Uint8Array;
  /** Called once per answered request when set (access log, v1 caller attribution). */
  readonly onAccess?: ((event: ImdsAccessEvent) => void) | undefined;
  /** Enforces HttpPutResponseHopLimit on the token answer; none: the limit is not enforced. */
  readonly hopLimit?: HopLimitEnforcer | undefined;
  /** For faults: the drop decision and the added latency (Math.random / setTimeout when unset). */
  readonly random?: (() => number) | undefined;
  readonly delay?: ((ms: number, run: () => void) => void) | undefined;
  /**
   * Before a token-less request is answered: names its caller while it still waits (src/observe/caller-identifier.ts)
   * and resolves when done or bounded; null when there is nothing to wait for. Requests with a token never call it.
   */
  readonly identifyCaller?: ((socket: IncomingMessage["socket"]) => Promise<void> | null) | undefined;
}

export interface ImdsAccessEvent {
  readonly runtime: InstanceRuntime;
  readonly request: IncomingMessage;
  readonly path: string;
  readonly status: number;
  /** "v2" when the request carried a token header (or was a token PUT). */
  readonly version: "v1" | "v2";
}

// Scanned out of rawHeaders, so the request path never builds node's headers object.
const enum Header {
  None = 0,
  Token = 1,
  TokenTtl = 2,
  ForwardedFor = 3,
  ContentLength = 4,
  TransferEncoding = 5,
}

// The names are lower-case constants; comparing lengths first leaves most headers after one integer test.
const TOKEN_LENGTH = HEADER_TOKEN.length;
const TOKEN_TTL_LENGTH = HEADER_TOKEN_TTL.length;
const FORWARDED_FOR_LENGTH = HEADER_FORWARDED_FOR.length;
const CONTENT_LENGTH_LENGTH = HEADER_CONTENT_LENGTH.length;
const TRANSFER_ENCODING_LENGTH = HEADER_TRANSFER_ENCODING.length;

function headerKind(name: string): Header {
  const length = name.length;
  if (length === TOKEN_LENGTH && name.toLowerCase() === HEADER_TOKEN) return Header.Token;
  if (length === TOKEN_TTL_LENGTH && name.toLowerCase() === HEADER_TOKEN_TTL) return Header.TokenTtl;
  if (length === FORWARDED_FOR_LENGTH && name.toLowerCase() === HEADER_FORWARDED_FOR) return Header.ForwardedFor;
  if (length === CONTENT_LENGTH_LENGTH && name.toLowerCase() === HEADER_CONTENT_LENGTH) return Header.ContentLength;
  if (length === TRANSFER_ENCODING_LENGTH && name.toLowerCase() === HEADER_TRANSFER_ENCODING) return Header.TransferEncoding;
  return Header.None;
}

/** For answers a fault gives and caller identification; the decision table scans the headers itself. */
function carriesToken(req: IncomingMessage): boolean {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const kind = headerKind(raw[i]!);
    if (kind === Header.Token || kind === Header.TokenTtl) return true;
  }
  return false;
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

function isVersionedTokenPath(path: string): boolean {
  return /^\/+[^/]+\/+api\/+token\/*$/.test(path);
}

/**
 * The IMDS decision table (docs/behaviour.md#imds-data-plane) for one instance's endpoint: endpoint off
 * -> 403; token PUT -> token or 400/403; GET/HEAD -> 401 on a bad token, 401 without one when
 * tokens are required, otherwise the prepared bytes. An injected fault (latency, throttling,
 * drops, outage) acts before the table; the hop limit acts on every answer to the token PUT.
 */
export function createImdsRequestHandler(runtime: InstanceRuntime, deps: ImdsRequestDeps) {
  const { nowMs, tokenMac, nonce, onAccess, hopLimit } = deps;
  // Remaining-TTL header values, formatted once each: a token-bearing GET then allocates no string.
  const ttlTexts: string[] = [];
  const ttlText = (seconds: number): string => (ttlTexts[seconds] ??= String(seconds));
  const faultHooks: FaultHooks = {
    nowMs,
    random: deps.random ?? Math.random,
    delay: deps.delay ?? ((ms, run) => void setTimeout(run, ms)),
    send: (req, res, response) => send(req, res, pathOf(req), response, carriesToken(req) ? "v2" : "v1"),
  };

  function send(req: IncomingMessage, res: ServerResponse, path: string, response: PreparedResponse, version: "v1" | "v2"): void {
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    if (onAccess !== undefined) onAccess({ runtime, request: req, path, status: response.status, version });
  }

  function sendWithTtl(req: IncomingMessage, res: ServerResponse, path: string, response: PreparedResponse, ttl: number): void {
    const headers = response.ttlHeaders;
    // writeHead serialises the list synchronously, so the shared slot can be reused per request.
    headers[headers.length - 1] = ttlText(ttl);
    res.writeHead(response.status, headers);
    res.end(response.body);
    if (onAccess !== undefined) onAccess({ runtime, request: req, path, status: response.status, version: "v2" });
  }

  const identifyCaller = deps.identifyCaller;

  return function handleImdsRequest(req: IncomingMessage, res: ServerResponse): void {
    if (identifyCaller !== undefined && !carriesToken(req)) {
      const identified = identifyCaller(req.socket);
      if (identified !== null) {
        identified.then(() => dispatch(req, res));
        return;
      }
    }
    dispatch(req, res);
  };

  function dispatch(req: IncomingMessage, res: ServerResponse): void {
    const fault = runtime.fault;
    if (fault === null) return answer(req, res);
    applyFault(fault, req, res, () => answer(req, res), faultHooks);
  }

  function answer(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req);
    const errors = runtime.errors;

    let token: string | undefined;
    let ttlHeader: string | undefined;
    let forwarded = false;
    let oversized = false;
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) {
      const kind = headerKind(raw[i]!);
      if (kind === Header.None) continue;
      if (kind === Header.Token) token = raw[i + 1];
      else if (kind === Header.TokenTtl) ttlHeader = raw[i + 1];
      else if (kind === Header.ForwardedFor) forwarded = true;
      else if (kind === Header.ContentLength) oversized = !(Number(raw[i + 1]) <= MAX_REQUEST_BODY_BYTES);
      // A streamed body has no declared size; IMDS requests never need one.
      else oversized = true;
    }
    const version = token !== undefined || ttlHeader !== undefined ? "v2" : "v1";

    if (oversized) {
      send(req, res, path, errors.payloadTooLarge, version);
      return;
    }

    if (runtime.endpointDisabled) return send(req, res, path, errors.forbidden, version);

    const method = req.method;
    if (method === "PUT") {
      if (path !== TOKEN_PATH) {
        // "PUT requests to a version-specific token path are rejected with 403" (docs/sources.md#retrieve-instance-metadata).
        return send(req, res, path, isVersionedTokenPath(path) ? errors.forbidden : errors.methodNotAllowed, "v2");
      }
      // The hop limit covers every answer to the token PUT: its packets carry the limited TTL.
      if (hopLimit !== undefined && !hopLimit.admitTokenResponse(req, res, runtime.record.metadataOptions.httpPutResponseHopLimit)) {
        runtime.cells[Counter.TokenResponsesWithheld]!++;
        return holdSilently(req);
      }
      if (forwarded) return send(req, res, path, errors.forbidden, "v2");
      const ttl = parseTokenTtl(ttlHeader);
      if (ttl === null) return send(req, res, path, errors.badRequest, "v2");
      const now = nowMs();
      const issued = issueToken({ instanceId: runtime.record.instanceId, ttlSeconds: ttl, nowMs: now, nonce: nonce(), mac: tokenMac });
      runtime.rememberToken(issued.token, issued.expiresAtMs);
      runtime.cells[Counter.TokensIssued]!++;
      return sendWithTtl(req, res, path, runtime.textResponse(issued.token), ttl);
    }
    if (method !== "GET" && method !== "HEAD") return send(req, res, path, errors.methodNotAllowed, version);

    let remaining = 0;
    if (token !== undefined) {
      const now = nowMs();
      let expiresAt = runtime.validTokens.get(token);
      if (expiresAt === undefined) {
        const verdict = verifyToken(token, { instanceId: runtime.record.instanceId, nowMs: now, mac: tokenMac });
        if (verdict.valid) {
          expiresAt = verdict.expiresAtMs;
          runtime.rememberToken(token, expiresAt);
        }
      }
      if (expiresAt === undefined || now >= expiresAt) {
        runtime.cells[Counter.InvalidTokens]!++;
        return send(req, res, path, errors.unauthorized, "v2");
      }
      remaining = tokenRemainingSeconds(expiresAt, now);
    } else if (runtime.tokensRequired) {
      runtime.cells[Counter.MetadataNoTokenRejected]!++;
      return send(req, res, path, errors.unauthorized, "v1");
    }

    const resolved = runtime.resolve(path);
    if (resolved === null) {
      // GET on the token path: undocumented; 405 is what SDKs expect of IMDS-like servers.
      return send(req, res, path, path === TOKEN_PATH ? errors.methodNotAllowed : errors.notFound, version);
    }
    let response: PreparedResponse | Promise<PreparedResponse>;
    if (resolved.kind === "static") response = resolved.response;
    else response = runtime.dynamicResponse(resolved.leaf, token === undefined ? "v1" : "v2", nowMs());

    if (response instanceof Promise) {
      response.then(
        (r) => finish(req, res, path, r, remaining),
        () => send(req, res, path, errors.notFound, version),
      );
      return;
    }
    finish(req, res, path, response, remaining);
  }

  function finish(req: IncomingMessage, res: ServerResponse, path: string, response: PreparedResponse, remaining: number): void {
    if (remaining > 0) {
      runtime.cells[Counter.MetadataWithToken]!++;
      sendWithTtl(req, res, path, response, remaining);
    } else {
      runtime.cells[Counter.MetadataNoToken]!++;
      send(req, res, path, response, "v1");
    }
  }
}
