/**
 * Reads AWS's evidence of IMDSv1 use per instance from CloudWatch through
 * @aws-sdk/client-cloudwatch: Sum of MetadataNoToken and MetadataNoTokenRejected over the
 * window, hourly, then the last minute with calls (docs/migration.md, "Evidence from CloudWatch").
 * Works against AWS, imds-lab's API endpoint or any CloudWatch-compatible endpoint.
 */
import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { ImdsUsageEvidence } from "../domain/migration/usage-evidence.ts";
import { clientConfig, perRegion, type AwsTarget } from "./ec2-target.ts";

const HOUR = 3_600_000;
const MINUTE = 60_000;
/** 100 instances x 2 metrics x 14 days of hours = 67 200 datapoints, under GetMetricData's 100 800. */
const BATCH = 100;
const METRICS = [
  { key: "noToken", name: "MetadataNoToken" },
  { key: "rejected", name: "MetadataNoTokenRejected" },
] as const;

export type CloudWatchClientFactory = (region: string) => CloudWatchClient;

export function cloudWatchClientFactory(target: AwsTarget): CloudWatchClientFactory {
  return perRegion((region) => new CloudWatchClient(clientConfig(target, region)));
}

function query(id: string, instanceId: string, metric: string, periodSeconds: number): MetricDataQuery {
  return {
    Id: id,
    MetricStat: { Metric: { Namespace: "AWS/EC2", MetricName: metric, Dimensions: [{ Name: "InstanceId", Value: instanceId }] }, Period: periodSeconds, Stat: "Sum" },
  };
}

async function metricData(client: CloudWatchClient, queries: MetricDataQuery[], startMs: number, endMs: number): Promise<Map<string, MetricDataResult>> {
  const out = new Map<string, MetricDataResult>();
  let nextToken: string | undefined;
  do {
    const answer = await client.send(
      new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(startMs), EndTime: new Date(endMs), ScanBy: "TimestampDescending", ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    for (const r of answer.MetricDataResults ?? []) {
      const seen = out.get(r.Id ?? "");
      if (seen === undefined) out.set(r.Id ?? "", { ...r, Timestamps: [...(r.Timestamps ?? [])], Values: [...(r.Values ?? [])] });
      else {
        seen.Timestamps!.push(...(r.Timestamps ?? []));
        seen.Values!.push(...(r.Values ?? []));
      }
    }
    nextToken = answer.NextToken;
  } while (nextToken !== undefined);
  return out;
}

function total(result: MetricDataResult | undefined): number {
  return (result?.Values ?? []).reduce((a, b) => a + b, 0);
}

/** The newest timestamp with a value above zero. */
function lastActive(result: MetricDataResult | undefined): number | undefined {
  let newest: number | undefined;
  for (const [i, value] of (result?.Values ?? []).entries()) {
    const at = result!.Timestamps![i]!.getTime();
    if (value > 0 && (newest === undefined || at > newest)) newest = at;
  }
  return newest;
}

/** Evidence for each instance over [nowMs - windowMs, nowMs]. */
export async function collectUsageEvidence(client: CloudWatchClient, instanceIds: readonly string[], windowMs: number, nowMs: number): Promise<Map<string, ImdsUsageEvidence>> {
  const endMs = Math.ceil(nowMs / MINUTE) * MINUTE;
  const startMs = endMs - windowMs;
  const out = new Map<string, ImdsUsageEvidence>();
  for (let at = 0; at < instanceIds.length; at += BATCH) {
    const batch = instanceIds.slice(at, at + BATCH);
    const hourly = await metricData(
      client,
      batch.flatMap((id, i) => METRICS.map((m) => query(`${m.key}${i}`, id, m.name, 3600))),
      startMs,
      endMs,
    );
    // The last active hour of each series, read again by the minute to name the last call's minute.
    const lastHours = batch.flatMap((id, i) =>
      METRICS.map((m) => ({ id, i, metric: m, hour: lastActive(hourly.get(`${m.key}${i}`)) })).filter((h) => h.hour !== undefined),
    );
    const minutes = new Map<string, number>();
    for (const h of lastHours) {
      const answer = await metricData(client, [query("m", h.id, h.metric.name, 60)], h.hour!, Math.min(h.hour! + HOUR, endMs));
      const minute = lastActive(answer.get("m"));
      minutes.set(`${h.metric.key}${h.i}`, minute ?? h.hour!);
    }
    for (const [i, id] of batch.entries()) {
      const lastNoToken = minutes.get(`noToken${i}`);
      const lastRejected = minutes.get(`rejected${i}`);
      out.set(id, {
        source: "cloudwatch",
        windowStart: new Date(startMs).toISOString(),
        windowEnd: new Date(endMs).toISOString(),
        noTokenCalls: total(hourly.get(`noToken${i}`)),
        rejectedCalls: total(hourly.get(`rejected${i}`)),
        ...(lastNoToken !== undefined ? { lastNoTokenAt: new Date(lastNoToken).toISOString() } : {}),
        ...(lastRejected !== undefined ? { lastRejectedAt: new Date(lastRejected).toISOString() } : {}),
      });
    }
  }
  return out;
}
