import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FaultSpec, OutageMode, ThrottleSpec } from "../domain/faults/fault-script.ts";
import { fullBucket, takeToken, type BucketState } from "../domain/faults/token-bucket.ts";
import { CONTENT_TYPE_HTML, errorPage, HEADER_RETRY_AFTER, RESPONSE_HEADER_TOKEN_TTL } from "./constants.ts";
import { holdSilently } from "./hop-limit.ts";
import { prepareResponse, type PreparedResponse, type PrepareOptions } from "./prepared-response.ts";

/** How often each fault acted, reported by GET /_imds-lab/faults. */
export interface FaultStats {
  throttled: number;
  dropped: number;
  held: number;
  delayed: number;
}

const FAULT_STAT_FIELDS = ["throttled", "dropped", "held", "delayed"] as const;
/** Where a stats object keeps its numbers: shared memory, so an endpoint in a worker counts into it. */
const STATS_MEMORY = Symbol("fault stats memory");

/**
 * Stats whose numbers live in `memory` (a fresh SharedArrayBuffer unless given): the scheduler in
 * the main thread reads what the endpoint, possibly in the IMDS worker, counted.
 */
export function newFaultStats(memory: SharedArrayBuffer = new SharedArrayBuffer(8 * FAULT_STAT_FIELDS.length)): FaultStats {
  const cells = new Float64Array(memory);
  const stats = {} as FaultStats;
  FAULT_STAT_FIELDS.forEach((field, i) => {
    Object.defineProperty(stats, field, { enumerable: true, get: () => cells[i], set: (v: number) => void (cells[i] = v) });
  });
  Object.defineProperty(stats, STATS_MEMORY, { value: memory, enumerable: false });
  return stats;
}

/** The shared memory behind stats from `newFaultStats`, or null for a plain object. */
export function faultStatsMemory(stats: FaultStats): SharedArrayBuffer | null {
  const memory = (stats as FaultStats & { [STATS_MEMORY]?: SharedArrayBuffer })[STATS_MEMORY];
  return memory instanceof SharedArrayBuffer ? memory : null;
}

/** A fault compiled for the request path: plain fields, the throttle answer prepared once. */
export interface ActiveFault {
  readonly spec: FaultSpec;
  readonly latencyMs: number;
  readonly dropRate: number;
  readonly outage: OutageMode | null;
  readonly throttle: ThrottleSpec | null;
  readonly throttleResponse: PreparedResponse | null;
  bucket: BucketState;
  readonly stats: FaultStats;
}

export function compileFault(spec: FaultSpec, options: PrepareOptions, nowMs: number, stats: FaultStats = newFaultStats()): ActiveFault {
  const throttle = spec.throttle ?? null;
  return {
    spec,
    latencyMs: spec.latencyMs ?? 0,
    dropRate: spec.dropRate ?? 0,
    outage: spec.outage ?? null,
    throttle,
    throttleResponse: throttle === null ? null : throttleResponse(throttle, options),
    // Rate 0 is a plain outage of 429s/503s: not even a first burst gets through.
    bucket: fullBucket(throttle === null || throttle.ratePerSecond === 0 ? 0 : throttle.burst, nowMs),
    stats,
  };
}

function throttleResponse(throttle: ThrottleSpec, options: PrepareOptions): PreparedResponse {
  const reason = throttle.status === 429 ? "Too Many Requests" : "Service Unavailable";
  const response = prepareResponse(throttle.status, CONTENT_TYPE_HTML, Buffer.from(errorPage(throttle.status, reason), "latin1"), options);
  // EC2: "503 - The request could not be completed. Retry the request." (docs/sources.md#retrieve-instance-metadata); clients such as
  // cloud-init honour Retry-After (default 1 s), so a 503 always carries one.
  const retryAfter = throttle.retryAfterSeconds ?? (throttle.status === 503 ? 1 : null);
  if (retryAfter === null) return response;
  const headers = [...response.headers, HEADER_RETRY_AFTER, String(retryAfter)];
  return { ...response, headers, ttlHeaders: [...headers, RESPONSE_HEADER_TOKEN_TTL, ""] };
}

export interface FaultHooks {
  readonly nowMs: () => number;
  readonly random: () => number;
  readonly delay: (ms: number, run: () => void) => void;
  /** Writes a prepared answer and reports the access, as every other answer. */
  readonly send: (req: IncomingMessage, res: ServerResponse, response: PreparedResponse) => void;
}

/** Applies the fault to one request, then lets it through to `next` unless the fault answered it. */
export function applyFault(fault: ActiveFault, req: IncomingMessage, res: ServerResponse, next: () => void, hooks: FaultHooks): void {
  if (fault.outage !== null) {
    fault.stats.held++;
    holdSilently(req);
    return;
  }
  if (fault.dropRate > 0 && hooks.random() < fault.dropRate) {
    fault.stats.dropped++;
    resetConnection(req.socket);
    return;
  }
  if (fault.throttle !== null) {
    const admitted = takeToken(fault.bucket, hooks.nowMs(), fault.throttle.ratePerSecond, fault.throttle.burst);
    if (admitted === null) {
      fault.stats.throttled++;
      hooks.send(req, res, fault.throttleResponse!);
      return;
    }
    fault.bucket = admitted;
  }
  if (fault.latencyMs > 0) {
    fault.stats.delayed++;
    hooks.delay(fault.latencyMs, () => {
      if (!req.socket.destroyed) next();
    });
    return;
  }
  next();
}

/** A TCP reset, as a dropped connection looks to the client (ECONNRESET, "socket hang up"). */
function resetConnection(socket: Socket): void {
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}
