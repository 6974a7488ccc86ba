import type { AttributionStatus, ProcessIdentity } from "../domain/migration/caller-observation.ts";
import type { ImdsAccessEvent } from "./request-handler.ts";

/** Who held the client end of a connection, when it was named before its first answer. */
export interface ConnectionAttribution {
  readonly status: AttributionStatus;
  readonly process?: ProcessIdentity | undefined;
}

/** The TCP connection a request came on: its addresses, and the identity of the object itself. */
export interface AccessConnection {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  /** Set across the thread boundary when the IMDS thread identified the caller before answering. */
  readonly attribution?: ConnectionAttribution | undefined;
}

/**
 * One answered IMDS request as plain data, the same whether the endpoint runs in this thread or
 * in the IMDS worker: `connection` is one object per TCP connection (the socket itself in-thread,
 * a stand-in with its addresses across the thread boundary).
 */
export interface ImdsAccess {
  readonly instanceId: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly version: "v1" | "v2";
  readonly connection: AccessConnection;
  readonly userAgent: string | undefined;
  readonly timeMs: number;
}

/** The User-Agent, by a scan of the raw header list that compares lengths first. */
export function userAgentOf(raw: readonly string[]): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 10 && raw[i]!.toLowerCase() === "user-agent") return raw[i + 1];
  return undefined;
}

export function accessOf(event: ImdsAccessEvent, timeMs: number): ImdsAccess {
  const req = event.request;
  return {
    instanceId: event.runtime.record.instanceId,
    method: req.method ?? "",
    path: event.path,
    status: event.status,
    version: event.version,
    connection: req.socket,
    userAgent: userAgentOf(req.rawHeaders),
    timeMs,
  };
}
