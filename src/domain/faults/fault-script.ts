import { DomainError } from "../errors.ts";

/**
 * Faults an instance's IMDS can be told to show, so a client's retries and its behaviour when
 * credentials cannot be refreshed can be tested. EC2 throttles per instance ("Query throttling":
 * 503 documented, 429 seen in the field, docs/behaviour.md#fault-injection), hence a selectable status.
 */
export const THROTTLE_STATUSES = [429, 503] as const;
export type ThrottleStatus = (typeof THROTTLE_STATUSES)[number];

/** timeout: connections are accepted and never answered; refuse: the endpoint stops listening. */
export const OUTAGE_MODES = ["timeout", "refuse"] as const;
export type OutageMode = (typeof OUTAGE_MODES)[number];

export interface ThrottleSpec {
  readonly status: ThrottleStatus;
  /** Requests admitted per second; 0 refuses every request. */
  readonly ratePerSecond: number;
  /** How many requests may arrive at once (the bucket size); default one second's worth, at least 1. */
  readonly burst: number;
  /** Retry-After in seconds, sent with 503 (and 429 when set); cloud-init waits 1 s without it. */
  readonly retryAfterSeconds: number | null;
}

export interface FaultSpec {
  readonly latencyMs?: number;
  readonly throttle?: ThrottleSpec;
  /** Share of requests whose connection is reset without an answer, 0..1. */
  readonly dropRate?: number;
  readonly outage?: OutageMode;
}

/** One step of a script: a fault (null: none) held for `durationMs`, or until changed when null. */
export interface FaultStep {
  readonly fault: FaultSpec | null;
  readonly durationMs: number | null;
}

/** Timed steps, run in order; after the last finite step the fault is cleared, or it starts over with `loop`. */
export interface FaultScript {
  readonly steps: readonly FaultStep[];
  readonly loop: boolean;
}

const MAX_MS = 86_400_000;

function invalid(message: string): never {
  throw new DomainError("InvalidParameterValue", message);
}

export function validateFaultSpec(spec: FaultSpec): FaultSpec {
  const { latencyMs, throttle, dropRate } = spec;
  if (latencyMs !== undefined && !(Number.isInteger(latencyMs) && latencyMs >= 0 && latencyMs <= 600_000)) invalid("latency must be 0..600000 ms");
  if (dropRate !== undefined && !(dropRate >= 0 && dropRate <= 1)) invalid("drop must be a share between 0 and 1");
  if (throttle !== undefined) {
    if (!(THROTTLE_STATUSES as readonly number[]).includes(throttle.status)) invalid("throttle status must be 429 or 503");
    if (!(throttle.ratePerSecond >= 0 && throttle.ratePerSecond <= 1_000_000)) invalid("throttle rate must be 0..1000000 per second");
    if (!(Number.isInteger(throttle.burst) && throttle.burst >= 1 && throttle.burst <= 1_000_000)) invalid("throttle burst must be 1..1000000");
    const retry = throttle.retryAfterSeconds;
    if (retry !== null && !(Number.isInteger(retry) && retry >= 0 && retry <= 3600)) invalid("Retry-After must be 0..3600 seconds");
  }
  return spec;
}

export function validateFaultScript(script: FaultScript): FaultScript {
  if (script.steps.length === 0 || script.steps.length > 1000) invalid("a fault script needs 1..1000 steps");
  let total = 0;
  script.steps.forEach((step, i) => {
    if (step.fault !== null) validateFaultSpec(step.fault);
    const d = step.durationMs;
    if (d === null) {
      if (i !== script.steps.length - 1) invalid("only the last step may last until changed");
      if (script.loop) invalid("a looping script needs a duration on every step");
    } else if (!(Number.isInteger(d) && d >= 1 && d <= MAX_MS)) {
      invalid("a step lasts 1 ms to 1 day");
    }
    total += d ?? 0;
  });
  if (script.loop && total <= 0) invalid("a looping script must take time");
  return script;
}

export interface ScriptPosition {
  /** Index of the step in force; steps.length once a finite script has run out. */
  readonly index: number;
  readonly fault: FaultSpec | null;
  /** Milliseconds after the start at which the next step begins; null when nothing changes again. */
  readonly nextChangeAtMs: number | null;
}

/** The step in force `elapsedMs` after the script started. */
export function positionAt(script: FaultScript, elapsedMs: number): ScriptPosition {
  const total = script.steps.reduce((sum, s) => sum + (s.durationMs ?? 0), 0);
  let offset = 0;
  let t = elapsedMs;
  if (script.loop && total > 0 && t >= total) {
    offset = Math.floor(t / total) * total;
    t -= offset;
  }
  let start = 0;
  for (let i = 0; i < script.steps.length; i++) {
    const step = script.steps[i]!;
    if (step.durationMs === null) return { index: i, fault: step.fault, nextChangeAtMs: null };
    const end = start + step.durationMs;
    if (t < end) return { index: i, fault: step.fault, nextChangeAtMs: offset + end };
    start = end;
  }
  return { index: script.steps.length, fault: null, nextChangeAtMs: null };
}
