/**
 * Readiness per instance, by the migration rules of `domain/migration/caller-report`: from the
 * observe feature's report (read in-process through the CallerObservations port) when there is one (callers attributed to processes, hop distances), else
 * from the endpoints' own counters through the same rules, so the verdict never has two authors.
 */
import type { InstanceObservation } from "../domain/migration/caller-observation.ts";
import { buildCallerReport, type CallerAssessment, type CallerReport, type Verdict } from "../domain/migration/caller-report.ts";

export type { Verdict };

export const VERDICTS = ["breaks", "ready", "hop-limit", "already-required", "rejecting", "no-traffic", "endpoint-disabled"] as const satisfies readonly Verdict[];

export interface CallerView {
  /** "pid 4242 python3 app.py" or "127.0.0.1 curl/8.5.0", as the report names callers. */
  readonly label: string;
  readonly attribution: string;
  readonly pid: number | null;
  readonly command: string | null;
  /** Login name (or uid) and container of the process, where known. */
  readonly user: string | null;
  readonly container: string | null;
  readonly userAgents: readonly string[];
  readonly v1Requests: number;
  readonly v1Rejected: number;
  readonly v2Requests: number;
  readonly v1Paths: readonly { readonly path: string; readonly count: number }[];
}

export interface ReadinessView {
  readonly verdict: Verdict;
  /** `access-log`: callers were seen one by one; `counters`: only how many calls of each kind. */
  readonly evidence: "access-log" | "counters";
  /** Callers that use IMDSv1 successfully: they fail once IMDSv2 is required. */
  readonly v1Callers: readonly CallerView[];
  /** Callers whose IMDSv1 calls are already refused. */
  readonly rejectedCallers: readonly CallerView[];
  /** The smallest hop limit that serves every observed caller once it uses tokens. */
  readonly requiredHopLimit: number;
}

function callerView(c: CallerAssessment): CallerView {
  return {
    label: c.label,
    attribution: c.attribution,
    pid: c.process?.pid ?? null,
    command: c.process === undefined ? null : c.process.command.join(" "),
    user: c.process?.user ?? (c.process?.uid !== undefined ? `uid ${c.process.uid}` : null),
    container: c.process?.container === undefined ? null : `${c.process.container.runtime} ${c.process.container.id.slice(0, 12)}${c.process.container.podUid ? ` (pod ${c.process.container.podUid})` : ""}`,
    userAgents: c.userAgents,
    v1Requests: c.v1Requests,
    v1Rejected: c.v1Rejected,
    v2Requests: c.v2Requests,
    v1Paths: c.v1Paths.slice(0, 5),
  };
}

export function readinessFromReport(report: CallerReport): Map<string, ReadinessView> {
  return new Map(
    report.instances.map((i) => [
      i.instanceId,
      { verdict: i.verdict, evidence: "access-log", v1Callers: i.v1Callers.map(callerView), rejectedCallers: i.rejectedCallers.map(callerView), requiredHopLimit: i.requiredHopLimit },
    ]),
  );
}

/** The same rules with no caller seen: the counters alone decide. */
export function readinessFromCounters(instances: readonly InstanceObservation[], nowMs: number): Map<string, ReadinessView> {
  const report = buildCallerReport({
    nowMs,
    startedMs: nowMs,
    instances,
    callers: [],
    accessLog: { capacity: 0, recorded: 0, dropped: 0, overflowCallers: 0 },
    localAddresses: [],
    simulatedNetworks: [],
  });
  return new Map(
    report.instances.map((i) => [i.instanceId, { verdict: i.verdict, evidence: "counters", v1Callers: [], rejectedCallers: [], requiredHopLimit: i.requiredHopLimit }]),
  );
}
