/**
 * The Prometheus view of the IMDS: per-instance counters with the meaning of EC2's CloudWatch
 * metrics (`MetadataNoToken`, `MetadataNoTokenRejected`, docs/sources.md#cloudwatch-metrics-for-instances) and
 * the access log's health.
 * A private registry; values are read from the live counters at scrape time, so the request path
 * never touches prom-client.
 */
import { Counter, Gauge, Registry } from "prom-client";
import type { ImdsCounters } from "../imds/instance-runtime.ts";

export interface MetricsInstance {
  readonly instanceId: string;
  readonly region: string;
  readonly httpTokens: string;
  readonly hopLimit: number;
  readonly counters: ImdsCounters & { readonly tokenResponsesWithheld: number };
}

export interface MetricsSources {
  readonly instances: () => readonly MetricsInstance[];
  readonly accessLog: () => { readonly capacity: number; readonly recorded: number; readonly dropped: number; readonly attributions: Readonly<Record<string, number>> };
}

const LABELS = ["instance_id", "region"] as const;

export function createImdsMetrics(sources: MetricsSources): { readonly registry: Registry; metrics(): Promise<string>; readonly contentType: string } {
  const registry = new Registry();
  const counter = (name: string, help: string, field: keyof MetricsInstance["counters"]) =>
    new Counter({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      collect() {
        this.reset();
        for (const i of sources.instances()) this.inc({ instance_id: i.instanceId, region: i.region }, i.counters[field]);
      },
    });
  counter(
    "imds_metadata_no_token_total",
    "CloudWatch MetadataNoToken: times the IMDS was successfully accessed using a method that does not use a token",
    "metadataNoToken",
  );
  counter(
    "imds_metadata_no_token_rejected_total",
    "CloudWatch MetadataNoTokenRejected: times an IMDSv1 call was attempted after IMDSv1 was disabled",
    "metadataNoTokenRejected",
  );
  counter("imds_metadata_with_token_total", "IMDS requests answered with a valid token (IMDSv2)", "metadataWithToken");
  counter("imds_tokens_issued_total", "IMDSv2 session tokens issued (PUT /latest/api/token)", "tokensIssued");
  counter(
    "imds_token_responses_withheld_total",
    "token PUTs left unanswered because the caller is farther than HttpPutResponseHopLimit",
    "tokenResponsesWithheld",
  );
  counter("imds_invalid_token_total", "requests refused with 401 for an invalid or expired token", "invalidTokens");
  new Gauge({
    name: "imds_instance_info",
    help: "1 per instance, with its current HttpTokens and hop limit",
    labelNames: [...LABELS, "http_tokens", "hop_limit"],
    registers: [registry],
    collect() {
      this.reset();
      for (const i of sources.instances()) this.set({ instance_id: i.instanceId, region: i.region, http_tokens: i.httpTokens, hop_limit: String(i.hopLimit) }, 1);
    },
  });
  new Counter({
    name: "imds_lab_access_log_records_total",
    help: "IMDS requests written to the access log",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.accessLog().recorded);
    },
  });
  new Counter({
    name: "imds_lab_access_log_dropped_total",
    help: "access log records overwritten before they were folded into the caller statistics",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.accessLog().dropped);
    },
  });
  new Gauge({
    name: "imds_lab_access_log_capacity",
    help: "records the access log ring holds",
    registers: [registry],
    collect() {
      this.set(sources.accessLog().capacity);
    },
  });
  new Counter({
    name: "imds_lab_caller_attributions_total",
    help: "connections whose caller process was looked up, by result",
    labelNames: ["result"],
    registers: [registry],
    collect() {
      this.reset();
      for (const [result, n] of Object.entries(sources.accessLog().attributions)) this.inc({ result }, n);
    },
  });
  return { registry, metrics: () => registry.metrics(), contentType: registry.contentType };
}
