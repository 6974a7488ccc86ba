/**
 * IMDS calls over time, from the per-instance counters the data plane keeps (MetadataNoToken and
 * friends). The dashboard samples the cumulative counters and keeps what they grew by in time
 * buckets, so the chart needs no access log.
 */

export interface CallCounts {
  /** Token-less calls answered (MetadataNoToken). */
  readonly v1: number;
  /** Token-less calls refused because tokens are required (MetadataNoTokenRejected). */
  readonly v1Rejected: number;
  /** Calls answered with a valid token. */
  readonly v2: number;
}

export interface CounterReading extends CallCounts {
  readonly instanceId: string;
}

export interface CallPoint extends CallCounts {
  readonly startMs: number;
}

export interface CallSeries {
  readonly bucketMs: number;
  readonly points: readonly CallPoint[];
}

const ZERO: CallCounts = Object.freeze({ v1: 0, v1Rejected: 0, v2: 0 });

export class CallHistory {
  private readonly last = new Map<string, CallCounts>();
  private readonly buckets = new Map<number, CallCounts>();

  constructor(
    readonly bucketMs = 5_000,
    /** How many buckets the chart shows. */
    private readonly length = 72,
  ) {}

  /**
   * Adds what each counter grew by since the last reading to the bucket of `nowMs`. A counter that
   * went down belongs to a new endpoint (the instance was attached again), so it counts from zero.
   */
  record(nowMs: number, readings: Iterable<CounterReading>): void {
    const bucket = this.bucketStart(nowMs);
    let sum = this.buckets.get(bucket) ?? ZERO;
    for (const reading of readings) {
      const previous = this.last.get(reading.instanceId) ?? ZERO;
      this.last.set(reading.instanceId, { v1: reading.v1, v1Rejected: reading.v1Rejected, v2: reading.v2 });
      sum = {
        v1: sum.v1 + growth(previous.v1, reading.v1),
        v1Rejected: sum.v1Rejected + growth(previous.v1Rejected, reading.v1Rejected),
        v2: sum.v2 + growth(previous.v2, reading.v2),
      };
    }
    if (sum.v1 + sum.v1Rejected + sum.v2 > 0) this.buckets.set(bucket, sum);
    const oldest = bucket - (this.length - 1) * this.bucketMs;
    for (const start of this.buckets.keys()) if (start < oldest) this.buckets.delete(start);
  }

  /** The last `length` buckets up to the one holding `nowMs`, oldest first, empty ones as zeros. */
  series(nowMs: number): CallSeries {
    const newest = this.bucketStart(nowMs);
    const points: CallPoint[] = [];
    for (let i = this.length - 1; i >= 0; i--) {
      const startMs = newest - i * this.bucketMs;
      points.push({ startMs, ...(this.buckets.get(startMs) ?? ZERO) });
    }
    return { bucketMs: this.bucketMs, points };
  }

  private bucketStart(ms: number): number {
    return Math.floor(ms / this.bucketMs) * this.bucketMs;
  }
}

function growth(previous: number, current: number): number {
  return current >= previous ? current - previous : current;
}
