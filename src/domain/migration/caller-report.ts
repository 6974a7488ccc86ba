/**
 * "What breaks if I require IMDSv2 here?", per instance, from the callers the access log saw.
 * Requiring IMDSv2 (HttpTokens=required) makes every token-less GET answer 401; a caller that
 * asks for a token needs the token response to survive its hops (TTL = hop limit, docs/behaviour.md#hop-limit).
 */
import type { AccessLogStats, CallerObservation, InstanceObservation, ProcessIdentity } from "./caller-observation.ts";
import { estimateHopLimit, type HopEstimate, type SimulatedNetwork } from "./network-distance.ts";

/**
 * - `breaks`: IMDSv1 is allowed and callers use it: requiring IMDSv2 makes them fail.
 * - `ready`: only IMDSv2 traffic, every token caller within the hop limit.
 * - `hop-limit`: token callers sit further away than the hop limit: they cannot get a token now.
 * - `already-required` / `rejecting`: IMDSv2 is required; `rejecting` when IMDSv1 calls were refused.
 * - `no-traffic`: nothing observed, so nothing is known (not the same as safe).
 * - `endpoint-disabled`: the IMDS answers nobody.
 */
export type Verdict = "breaks" | "ready" | "hop-limit" | "already-required" | "rejecting" | "no-traffic" | "endpoint-disabled";

export interface CallerAssessment {
  readonly key: string;
  readonly label: string;
  readonly attribution: CallerObservation["attribution"];
  readonly process?: ProcessIdentity;
  readonly remoteAddresses: readonly string[];
  readonly userAgents: readonly string[];
  readonly v1Requests: number;
  readonly v1Rejected: number;
  readonly v2Requests: number;
  readonly tokenPuts: number;
  readonly v1Paths: CallerObservation["v1Paths"];
  readonly hop: HopEstimate;
}

export interface InstanceCallerReport {
  readonly instanceId: string;
  readonly region: string;
  readonly state: string;
  readonly httpTokens: "optional" | "required";
  readonly httpPutResponseHopLimit: number;
  readonly httpEndpoint: "enabled" | "disabled";
  /** Named as EC2's CloudWatch metrics. */
  readonly metrics: { readonly MetadataNoToken: number; readonly MetadataNoTokenRejected: number; readonly tokenResponsesWithheld: number };
  readonly verdict: Verdict;
  /** Callers that used IMDSv1 successfully: they fail once IMDSv2 is required. */
  readonly v1Callers: readonly CallerAssessment[];
  /** Callers whose IMDSv1 calls were already refused (401). */
  readonly rejectedCallers: readonly CallerAssessment[];
  /** Callers that need a hop limit above 1 for their token PUT (they fail with hop limit 1). */
  readonly hopLimitCallers: readonly CallerAssessment[];
  readonly v2Callers: readonly CallerAssessment[];
  /** The smallest hop limit that serves every observed caller once it uses tokens. */
  readonly requiredHopLimit: number;
}

export interface CallerReport {
  readonly generatedAt: string;
  readonly observedSince: string;
  readonly accessLog: AccessLogStats;
  readonly instances: readonly InstanceCallerReport[];
}

export interface CallerReportInput {
  readonly nowMs: number;
  readonly startedMs: number;
  readonly instances: readonly InstanceObservation[];
  readonly callers: readonly CallerObservation[];
  readonly accessLog: AccessLogStats;
  readonly localAddresses: readonly string[];
  readonly simulatedNetworks: readonly SimulatedNetwork[];
}

export function buildCallerReport(input: CallerReportInput): CallerReport {
  const byInstance = new Map<string, CallerObservation[]>();
  for (const caller of input.callers) {
    const list = byInstance.get(caller.instanceId) ?? [];
    list.push(caller);
    byInstance.set(caller.instanceId, list);
  }
  const instances = input.instances.map((instance) => assessInstance(instance, byInstance.get(instance.instanceId) ?? [], input));
  return {
    generatedAt: new Date(input.nowMs).toISOString(),
    observedSince: new Date(input.startedMs).toISOString(),
    accessLog: input.accessLog,
    instances,
  };
}

function assessInstance(instance: InstanceObservation, callers: readonly CallerObservation[], input: CallerReportInput): InstanceCallerReport {
  const assessed = callers.map((c) => assessCaller(c, input)).sort(byActivity);
  const v1Callers = assessed.filter((c) => c.v1Requests > 0);
  const rejectedCallers = assessed.filter((c) => c.v1Rejected > 0);
  // Every caller that will have to ask for a token: today's token callers and the IMDSv1 callers.
  const tokenCallers = assessed.filter((c) => c.tokenPuts > 0 || c.v2Requests > 0 || c.v1Requests > 0 || c.v1Rejected > 0);
  const hopLimitCallers = tokenCallers.filter((c) => c.hop.requiredHopLimit > 1);
  const withheld = instance.metrics.tokenResponsesWithheld ?? 0;
  // A withheld token answer proves some caller sits beyond the current limit, if not how far.
  const requiredHopLimit = Math.max(1, withheld > 0 ? instance.httpPutResponseHopLimit + 1 : 1, ...tokenCallers.map((c) => c.hop.requiredHopLimit));
  const v2Callers = assessed.filter((c) => c.v2Requests > 0 || c.tokenPuts > 0);
  return {
    instanceId: instance.instanceId,
    region: instance.region,
    state: instance.state,
    httpTokens: instance.httpTokens,
    httpPutResponseHopLimit: instance.httpPutResponseHopLimit,
    httpEndpoint: instance.httpEndpoint,
    metrics: {
      MetadataNoToken: instance.metrics.metadataNoToken,
      MetadataNoTokenRejected: instance.metrics.metadataNoTokenRejected,
      tokenResponsesWithheld: withheld,
    },
    verdict: verdictOf(instance, assessed, v1Callers, requiredHopLimit),
    v1Callers,
    rejectedCallers,
    hopLimitCallers,
    v2Callers,
    requiredHopLimit,
  };
}

function verdictOf(instance: InstanceObservation, all: readonly CallerAssessment[], v1: readonly CallerAssessment[], hopLimit: number): Verdict {
  if (instance.httpEndpoint === "disabled") return "endpoint-disabled";
  // The counters see every request even when the log's caller table did not (size 0, overflow).
  const sawV1 = v1.length > 0 || instance.metrics.metadataNoToken > 0;
  const sawAny = all.length > 0 || sawV1 || instance.metrics.metadataWithToken > 0 || instance.metrics.metadataNoTokenRejected > 0;
  const withheld = (instance.metrics.tokenResponsesWithheld ?? 0) > 0;
  if (instance.httpTokens === "required") {
    if (instance.metrics.metadataNoTokenRejected > 0 || all.some((c) => c.v1Rejected > 0)) return "rejecting";
    return withheld ? "hop-limit" : "already-required";
  }
  if (!sawAny && !withheld) return "no-traffic";
  if (sawV1) return "breaks";
  return hopLimit > instance.httpPutResponseHopLimit ? "hop-limit" : "ready";
}

function assessCaller(caller: CallerObservation, input: CallerReportInput): CallerAssessment {
  const hops = caller.remoteAddresses.map((remoteAddress) =>
    estimateHopLimit({ remoteAddress, localAddresses: input.localAddresses, simulatedNetworks: input.simulatedNetworks }),
  );
  const hop = hops.reduce<HopEstimate>(
    (worst, h) => (h.requiredHopLimit > worst.requiredHopLimit ? h : worst),
    hops[0] ?? { requiredHopLimit: 1, evidence: "same-host", detail: "no address recorded" },
  );
  return {
    key: caller.key,
    label: callerLabel(caller),
    attribution: caller.attribution,
    ...(caller.process ? { process: caller.process } : {}),
    remoteAddresses: caller.remoteAddresses,
    userAgents: caller.userAgents,
    v1Requests: caller.v1Requests,
    v1Rejected: caller.v1Rejected,
    v2Requests: caller.v2Requests,
    tokenPuts: caller.tokenPuts,
    v1Paths: caller.v1Paths,
    hop,
  };
}

/** "pid 4242 python3 app.py [docker 3f2a…]" or "127.0.0.1 curl/8.5.0". */
export function callerLabel(caller: Pick<CallerObservation, "process" | "remoteAddresses" | "userAgents">): string {
  const p = caller.process;
  if (p !== undefined) {
    // One line: an inline script (`python3 -c "..."`) would otherwise break tables apart.
    const command = p.command.length > 0 ? p.command.join(" ").replace(/\s+/g, " ") : `[${p.comm}]`;
    const shortCommand = command.length > 80 ? `${command.slice(0, 77)}...` : command;
    const container = p.container ? ` [${p.container.runtime} ${p.container.id.slice(0, 12)}]` : "";
    return `pid ${p.pid} ${shortCommand}${container}`;
  }
  const agent = caller.userAgents[0] ?? "(no User-Agent)";
  return `${caller.remoteAddresses.join(",") || "?"} ${agent}`;
}

function byActivity(a: CallerAssessment, b: CallerAssessment): number {
  return b.v1Requests + b.v1Rejected - (a.v1Requests + a.v1Rejected) || b.v2Requests - a.v2Requests || a.key.localeCompare(b.key);
}
