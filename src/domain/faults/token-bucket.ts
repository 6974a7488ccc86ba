/**
 * A token bucket: `burst` requests at once, refilled at `ratePerSecond`. Pure: the caller keeps
 * the state and passes the clock.
 */
export interface BucketState {
  readonly tokens: number;
  readonly updatedAtMs: number;
}

export function fullBucket(burst: number, nowMs: number): BucketState {
  return { tokens: burst, updatedAtMs: nowMs };
}

/** The state after admitting one request at `nowMs`, or null when the request must be refused. */
export function takeToken(state: BucketState, nowMs: number, ratePerSecond: number, burst: number): BucketState | null {
  const elapsed = Math.max(0, nowMs - state.updatedAtMs);
  const tokens = Math.min(burst, state.tokens + (elapsed * ratePerSecond) / 1000);
  // A refusal leaves the state as it was: refilling from the old instant gives the same count later.
  if (tokens < 1) return null;
  return { tokens: tokens - 1, updatedAtMs: nowMs };
}
