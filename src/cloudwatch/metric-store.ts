/** Where the per-minute IMDS datapoints live: the port the CloudWatch operations read. */
import type { ImdsMetricName } from "./constants.ts";

/** The instance a series belongs to and the CloudWatch scope (account, Region) that sees it. */
export interface MetricSeriesKey {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  readonly metric: ImdsMetricName;
}

/** One published value: the count of one minute, stamped with the minute's start. */
export interface MinuteSum {
  readonly minuteMs: number;
  readonly sum: number;
}

export interface MetricStore {
  /** Adds `sum` to the minute's datapoint (the sampler may write one minute several times). */
  add(key: MetricSeriesKey, minuteMs: number, sum: number): void;
  /** Minutes in [fromMs, toMs) of one series, oldest first. */
  minutes(key: MetricSeriesKey, fromMs: number, toMs: number): MinuteSum[];
  /** Series of one account and Region with a datapoint at or after `sinceMs`. */
  series(accountId: string, region: string, sinceMs: number): MetricSeriesKey[];
  /** Forgets datapoints older than `beforeMs`; returns how many. */
  purge(beforeMs: number): number;
}
