/**
 * Moves the IMDS endpoints' counters into the metric store as per-minute datapoints: the
 * difference since the last sample is added to the current minute. Sampled every second and
 * before every CloudWatch answer, so a datapoint's minute is right to within a second and an
 * answer counts every request made before it.
 */
import { IMDS_METRICS, MINUTE_MS, ONE_MINUTE_RETENTION_MS, type ImdsMetricName } from "./constants.ts";
import type { MetricStore } from "./metric-store.ts";

/** The two counters as the endpoint reports them, cumulative since the endpoint started. */
export interface CountersView {
  readonly metadataNoToken: number;
  readonly metadataNoTokenRejected: number;
}

export interface SampledInstance {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** Undefined while the instance has no endpoint (stopped). */
  readonly counters: CountersView | undefined;
}

const FIELD: Readonly<Record<ImdsMetricName, keyof CountersView>> = {
  MetadataNoToken: "metadataNoToken",
  MetadataNoTokenRejected: "metadataNoTokenRejected",
};

export class MetricSampler {
  /**
   * The counters at the last sample, per instance. A runtime that went away (stopped) or counts
   * less than before (relaunched) starts again from zero.
   */
  private readonly seen = new Map<string, Record<ImdsMetricName, number>>();
  private lastPurgeMs = 0;

  constructor(
    private readonly store: MetricStore,
    private readonly instances: () => readonly SampledInstance[],
    private readonly nowMs: () => number,
    private readonly transaction: <T>(fn: () => T) => T = (fn) => fn(),
  ) {}

  sample(): void {
    const now = this.nowMs();
    const minuteMs = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    this.transaction(() => {
      for (const instance of this.instances()) {
        const counters = instance.counters;
        if (counters === undefined) {
          this.seen.delete(instance.instanceId);
          continue;
        }
        const before = this.seen.get(instance.instanceId) ?? { MetadataNoToken: 0, MetadataNoTokenRejected: 0 };
        const after = { ...before };
        for (const metric of IMDS_METRICS) {
          const value = counters[FIELD[metric]];
          const delta = value >= before[metric] ? value - before[metric] : value;
          after[metric] = value;
          if (delta > 0) this.store.add({ accountId: instance.accountId, region: instance.region, instanceId: instance.instanceId, metric }, minuteMs, delta);
        }
        this.seen.set(instance.instanceId, after);
      }
      if (now - this.lastPurgeMs >= MINUTE_MS) {
        this.lastPurgeMs = now;
        this.store.purge(now - ONE_MINUTE_RETENTION_MS);
      }
    });
  }
}
