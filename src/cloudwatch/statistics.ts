/**
 * CloudWatch's statistics over per-minute datapoints, pure. Each stored minute is one published
 * value (its count), so over a period Sum adds them, SampleCount counts them and Average,
 * Minimum and Maximum are taken over them.
 */
import type { MinuteSum } from "./metric-store.ts";

export const STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;
export type Statistic = (typeof STATISTICS)[number];

export function isStatistic(value: string): value is Statistic {
  return (STATISTICS as readonly string[]).includes(value);
}

export interface PeriodAggregate {
  readonly startMs: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly minimum: number;
  readonly maximum: number;
}

/**
 * The periods of [startMs, endMs) that hold data, oldest first; periods start at `startMs` and
 * follow each other every `periodMs` (GetMetricStatistics: timestamps are the periods' starts).
 */
export function aggregateByPeriod(minutes: readonly MinuteSum[], startMs: number, endMs: number, periodMs: number): PeriodAggregate[] {
  const out: PeriodAggregate[] = [];
  let current: { startMs: number; sampleCount: number; sum: number; minimum: number; maximum: number } | undefined;
  for (const m of minutes) {
    if (m.minuteMs < startMs || m.minuteMs >= endMs) continue;
    const bucket = startMs + Math.floor((m.minuteMs - startMs) / periodMs) * periodMs;
    if (current === undefined || current.startMs !== bucket) {
      if (current !== undefined) out.push(current);
      current = { startMs: bucket, sampleCount: 0, sum: 0, minimum: Infinity, maximum: -Infinity };
    }
    current.sampleCount++;
    current.sum += m.sum;
    current.minimum = Math.min(current.minimum, m.sum);
    current.maximum = Math.max(current.maximum, m.sum);
  }
  if (current !== undefined) out.push(current);
  return out;
}

export function statisticOf(aggregate: PeriodAggregate, statistic: Statistic): number {
  switch (statistic) {
    case "SampleCount":
      return aggregate.sampleCount;
    case "Sum":
      return aggregate.sum;
    case "Average":
      return aggregate.sum / aggregate.sampleCount;
    case "Minimum":
      return aggregate.minimum;
    case "Maximum":
      return aggregate.maximum;
  }
}

/**
 * Where the first period starts: CloudWatch rounds a StartTime less than 15 days ago down to the
 * minute, 15 to 63 days ago to 5 minutes, older to the hour (GetMetricStatistics, StartTime).
 */
export function roundStartTime(startMs: number, nowMs: number): number {
  const age = nowMs - startMs;
  const day = 24 * 3_600_000;
  const unit = age <= 15 * day ? 60_000 : age <= 63 * day ? 300_000 : 3_600_000;
  return Math.floor(startMs / unit) * unit;
}
