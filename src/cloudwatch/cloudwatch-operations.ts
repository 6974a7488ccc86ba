/**
 * GetMetricStatistics, GetMetricData and ListMetrics over the IMDS metrics EC2 publishes per
 * instance (namespace AWS/EC2, dimension InstanceId). Protocol-free: input and output are the
 * service model's shapes as plain data; the protocol adapters do the wire.
 * Scope and limits: docs/behaviour.md, "CloudWatch: the IMDS metrics".
 */
import { CloudWatchError } from "./cloudwatch-error.ts";
import { DIMENSION_INSTANCE_ID, EC2_NAMESPACE, IMDS_METRICS, METRIC_UNIT, MINUTE_MS, type ImdsMetricName } from "./constants.ts";
import { dimensions, optionalInteger, optionalList, optionalString, requiredString, requiredTimestamp, struct, type DimensionFilter, type Input } from "./input-readers.ts";
import type { MetricSeriesKey, MetricStore } from "./metric-store.ts";
import { aggregateByPeriod, isStatistic, roundStartTime, statisticOf, STATISTICS, type Statistic } from "./statistics.ts";

/** Who asks: CloudWatch answers each account and Region with its own metrics only. */
export interface CloudWatchScope {
  readonly accountId: string;
  readonly region: string;
}

export interface MetricSource {
  readonly store: MetricStore;
  /** Moves the endpoints' counters into the store, so an answer includes the current minute. */
  flush(): void;
  /** Instances of the scope that publish the metrics now (EC2 publishes them for every instance). */
  instances(scope: CloudWatchScope): readonly string[];
  nowMs(): number;
}

export type Operation = (input: Input, scope: CloudWatchScope, source: MetricSource) => Record<string, unknown>;

const MAX_STATISTICS_DATAPOINTS = 1440;
const LIST_PAGE = 500;
/** ListMetrics: "metrics that have had data points published in the past two weeks" (ListMetrics). */
const LIST_WINDOW_MS = 14 * 24 * 60 * MINUTE_MS;
const RECENTLY_ACTIVE_MS = 3 * 60 * MINUTE_MS;

/** The one series a metric identity names, or undefined for a metric that does not exist. */
function seriesOf(scope: CloudWatchScope, namespace: string, metricName: string, dims: readonly DimensionFilter[]): MetricSeriesKey | undefined {
  if (namespace !== EC2_NAMESPACE || !(IMDS_METRICS as readonly string[]).includes(metricName)) return undefined;
  // CloudWatch matches the exact dimension set: the IMDS metrics exist per InstanceId only.
  if (dims.length !== 1 || dims[0]!.name !== DIMENSION_INSTANCE_ID || dims[0]!.value === undefined) return undefined;
  return { ...scope, instanceId: dims[0]!.value, metric: metricName as ImdsMetricName };
}

function period(value: number | undefined, name: string): number {
  if (value === undefined) throw new CloudWatchError("MissingParameter", `The parameter ${name} is required.`);
  // Standard-resolution metrics: a multiple of 60 (GetMetricStatistics, Period).
  if (value < 1 || value % 60 !== 0) throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be a multiple of 60.`);
  return value * 1000;
}

function timeRange(input: Input, source: MetricSource): { startMs: number; endMs: number } {
  const startMs = requiredTimestamp(input, "StartTime");
  const endMs = requiredTimestamp(input, "EndTime");
  if (startMs >= endMs) throw new CloudWatchError("InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
  return { startMs: roundStartTime(startMs, source.nowMs()), endMs };
}

export const getMetricStatistics: Operation = (input, scope, source) => {
  const namespace = requiredString(input, "Namespace");
  const metricName = requiredString(input, "MetricName");
  const dims = dimensions(input, "Dimensions");
  const { startMs, endMs } = timeRange(input, source);
  const periodMs = period(optionalInteger(input, "Period"), "Period");
  const statistics = optionalList(input, "Statistics").map(String);
  const extended = optionalList(input, "ExtendedStatistics");
  if ((statistics.length === 0) === (extended.length === 0)) {
    throw new CloudWatchError("InvalidParameterCombination", "Must specify either Statistics or ExtendedStatistics, but not both.");
  }
  if (extended.length > 0) throw new CloudWatchError("InvalidParameterValue", "imds-lab does not compute percentile statistics (ExtendedStatistics).");
  for (const s of statistics) {
    if (!isStatistic(s)) throw new CloudWatchError("InvalidParameterValue", `The parameter Statistics.member.1 must be a value in the set [ ${STATISTICS.join(", ")} ].`);
  }
  const requested = Math.ceil((endMs - startMs) / periodMs);
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw new CloudWatchError(
      "InvalidParameterCombination",
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const unit = optionalString(input, "Unit");
  const key = seriesOf(scope, namespace, metricName, dims);
  if (key === undefined || (unit !== undefined && unit !== METRIC_UNIT)) return { Label: metricName, Datapoints: [] };
  source.flush();
  const periods = aggregateByPeriod(source.store.minutes(key, startMs, endMs), startMs, endMs, periodMs);
  const datapoints = periods.map((p) => {
    const point: Record<string, unknown> = { Timestamp: new Date(p.startMs) };
    for (const s of statistics as Statistic[]) point[s] = statisticOf(p, s);
    point.Unit = METRIC_UNIT;
    return point;
  });
  return { Label: metricName, Datapoints: datapoints };
};

export const getMetricData: Operation = (input, scope, source) => {
  const queries = optionalList(input, "MetricDataQueries").map((raw, i) => struct(raw, `MetricDataQueries.member.${i + 1}`));
  if (queries.length === 0) throw new CloudWatchError("MissingParameter", "The parameter MetricDataQueries is required.");
  if (queries.length > 500) throw new CloudWatchError("InvalidParameterValue", "The collection MetricDataQueries must not have a size greater than 500.");
  const { startMs, endMs } = timeRange(input, source);
  const scanBy = optionalString(input, "ScanBy") ?? "TimestampDescending";
  if (scanBy !== "TimestampDescending" && scanBy !== "TimestampAscending") {
    throw new CloudWatchError("InvalidParameterValue", "The parameter ScanBy must be a value in the set [ TimestampDescending, TimestampAscending ].");
  }
  if (optionalString(input, "NextToken") !== undefined) throw new CloudWatchError("InvalidNextToken", "The service couldn't process the NextToken.");
  source.flush();
  const ids = new Set<string>();
  const results: Record<string, unknown>[] = [];
  for (const [i, q] of queries.entries()) {
    const id = requiredString(q, "Id");
    // "The first character must be a lowercase letter" (MetricDataQuery, Id).
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id)) throw new CloudWatchError("InvalidParameterValue", `The value ${id} for parameter MetricDataQueries.member.${i + 1}.Id is not valid.`);
    if (ids.has(id)) throw new CloudWatchError("InvalidParameterValue", `The values for parameter id in MetricDataQueries are not unique.`);
    ids.add(id);
    if (optionalString(q, "Expression") !== undefined) {
      throw new CloudWatchError("InvalidParameterValue", "imds-lab does not evaluate metric math or Metrics Insights expressions; use MetricStat.");
    }
    if (q.MetricStat === undefined) throw new CloudWatchError("InvalidParameterCombination", `Exactly one of MetricStat and Expression must be specified for MetricDataQueries.member.${i + 1}.`);
    const stat = struct(q.MetricStat, `MetricDataQueries.member.${i + 1}.MetricStat`);
    const metric = struct(stat.Metric, `MetricDataQueries.member.${i + 1}.MetricStat.Metric`);
    const statistic = requiredString(stat, "Stat");
    if (!isStatistic(statistic)) throw new CloudWatchError("InvalidParameterValue", `imds-lab computes the statistics ${STATISTICS.join(", ")}; not ${statistic}.`);
    const periodMs = period(optionalInteger(stat, "Period"), `MetricDataQueries.member.${i + 1}.MetricStat.Period`);
    const metricName = requiredString(metric, "MetricName");
    const key = seriesOf(scope, requiredString(metric, "Namespace"), metricName, dimensions(metric, "Dimensions"));
    const unit = optionalString(stat, "Unit");
    const periods = key === undefined || (unit !== undefined && unit !== METRIC_UNIT) ? [] : aggregateByPeriod(source.store.minutes(key, startMs, endMs), startMs, endMs, periodMs);
    if (scanBy === "TimestampDescending") periods.reverse();
    if (q.ReturnData === false || q.ReturnData === "false") continue;
    results.push({
      Id: id,
      Label: optionalString(q, "Label") ?? metricName,
      Timestamps: periods.map((p) => new Date(p.startMs)),
      Values: periods.map((p) => statisticOf(p, statistic)),
      StatusCode: "Complete",
    });
  }
  return { MetricDataResults: results, Messages: [] };
};

export const listMetrics: Operation = (input, scope, source) => {
  const namespace = optionalString(input, "Namespace");
  const metricName = optionalString(input, "MetricName");
  const filters = dimensions(input, "Dimensions", true);
  const recentlyActive = optionalString(input, "RecentlyActive");
  if (recentlyActive !== undefined && recentlyActive !== "PT3H") throw new CloudWatchError("InvalidParameterValue", "The parameter RecentlyActive must be a value in the set [ PT3H ].");
  const token = optionalString(input, "NextToken");
  const offset = token === undefined ? 0 : Number(Buffer.from(token, "base64url").toString("utf8"));
  if (!Number.isInteger(offset) || offset < 0) throw new CloudWatchError("InvalidNextToken", "The service couldn't process the NextToken.");
  source.flush();
  const now = source.nowMs();
  const instances = new Set(source.store.series(scope.accountId, scope.region, now - (recentlyActive ? RECENTLY_ACTIVE_MS : LIST_WINDOW_MS)).map((s) => s.instanceId));
  for (const id of source.instances(scope)) instances.add(id);
  const all = [...instances].sort().flatMap((instanceId) => IMDS_METRICS.map((metric) => ({ instanceId, metric })));
  const matching = all.filter(
    (m) =>
      (namespace === undefined || namespace === EC2_NAMESPACE) &&
      (metricName === undefined || metricName === m.metric) &&
      filters.every((f) => f.name === DIMENSION_INSTANCE_ID && (f.value === undefined || f.value === m.instanceId)),
  );
  const page = matching.slice(offset, offset + LIST_PAGE);
  const next = offset + LIST_PAGE < matching.length ? Buffer.from(String(offset + LIST_PAGE)).toString("base64url") : undefined;
  return {
    Metrics: page.map((m) => ({ Namespace: EC2_NAMESPACE, MetricName: m.metric, Dimensions: [{ Name: DIMENSION_INSTANCE_ID, Value: m.instanceId }] })),
    ...(next !== undefined ? { NextToken: next } : {}),
  };
};

export const OPERATIONS: Readonly<Record<string, Operation>> = {
  GetMetricStatistics: getMetricStatistics,
  GetMetricData: getMetricData,
  ListMetrics: listMetrics,
};
