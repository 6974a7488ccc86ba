/**
 * The CloudWatch feature: per-minute IMDS metrics sampled from the endpoints' counters into the
 * metric store (SQLite, so history survives a restart) and served on the API endpoint.
 */
import type { Feature } from "../app/app-context.ts";
import { createCloudWatchApi, type AwsServiceRoute, type CloudWatchApiDeps } from "./cloudwatch-api.ts";
import type { CloudWatchScope, MetricSource } from "./cloudwatch-operations.ts";
import type { MetricStore } from "./metric-store.ts";
import { MetricSampler, type SampledInstance } from "./metric-sampler.ts";

const SAMPLE_INTERVAL_MS = 1000;

export interface CloudWatchFeatureDeps extends Pick<CloudWatchApiDeps, "accountOf" | "authenticate" | "defaultRegion"> {
  readonly metrics: MetricStore;
  readonly transaction: <T>(fn: () => T) => T;
  /** Every instance with its scope and, while it has an endpoint, its counters. */
  readonly instances: () => readonly (SampledInstance & { readonly state: string })[];
  readonly nowMs: () => number;
  /** Waits until every IMDS request answered so far is counted (the IMDS worker thread). */
  readonly settle?: () => Promise<void>;
}

export interface CloudWatchFeature extends Feature {
  readonly service: AwsServiceRoute;
  /** Samples the counters now (tests; before a read by another feature). */
  sample(): void;
}

export function createCloudWatchFeature(deps: CloudWatchFeatureDeps): CloudWatchFeature {
  const sampler = new MetricSampler(deps.metrics, deps.instances, deps.nowMs, deps.transaction);
  const source: MetricSource = {
    store: deps.metrics,
    flush: () => sampler.sample(),
    instances: (scope: CloudWatchScope) =>
      deps
        .instances()
        .filter((i) => i.accountId === scope.accountId && i.region === scope.region && i.state !== "terminated")
        .map((i) => i.instanceId),
    nowMs: deps.nowMs,
  };
  const timer = setInterval(() => sampler.sample(), SAMPLE_INTERVAL_MS);
  timer.unref();
  return {
    service: createCloudWatchApi({
      source,
      defaultRegion: deps.defaultRegion,
      accountOf: deps.accountOf,
      ...(deps.authenticate ? { authenticate: deps.authenticate } : {}),
      ...(deps.settle ? { settle: deps.settle } : {}),
    }),
    sample: () => sampler.sample(),
    close() {
      clearInterval(timer);
      // The last partial minute is written before the store closes.
      sampler.sample();
    },
  };
}
