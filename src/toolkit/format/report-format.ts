/** `imds-lab report` output: what breaks if IMDSv2 is required, per instance. */
import pc from "picocolors";
import type { CallerAssessment, CallerReport, InstanceCallerReport, Verdict } from "../../domain/migration/caller-report.ts";
import { markdownTable, terminalTable } from "./text-table.ts";

export const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  breaks: "BREAKS: IMDSv1 callers would fail",
  ready: "ready: only IMDSv2 seen",
  "hop-limit": "HOP LIMIT: token callers are too far away",
  "already-required": "IMDSv2 already required",
  rejecting: "required, but IMDSv1 calls are being rejected",
  "no-traffic": "unknown: no IMDS traffic seen",
  "endpoint-disabled": "IMDS endpoint disabled",
};

function colour(verdict: Verdict, text: string): string {
  if (verdict === "breaks" || verdict === "rejecting" || verdict === "hop-limit") return pc.red(text);
  if (verdict === "no-traffic") return pc.yellow(text);
  return pc.green(text);
}

function paths(caller: CallerAssessment): string {
  return caller.v1Paths.slice(0, 5).map((p) => `${p.path} ×${p.count}`).join(", ") + (caller.v1Paths.length > 5 ? ", ..." : "");
}

function rows(report: CallerReport, markdown: boolean) {
  return report.instances.map((i) => [
    i.instanceId,
    i.region,
    `${i.httpTokens}, hop ${i.httpPutResponseHopLimit}`,
    i.metrics.MetadataNoToken,
    i.metrics.MetadataNoTokenRejected,
    markdown ? VERDICT_TEXT[i.verdict] : colour(i.verdict, VERDICT_TEXT[i.verdict]),
    i.v1Callers.map((c) => c.label).join("; ") || "-",
    i.hopLimitCallers.map((c) => `${c.label} (needs ${c.hop.requiredHopLimit})`).join("; ") || "-",
  ]);
}

const HEAD = ["instance", "region", "now", "MetadataNoToken", "MetadataNoTokenRejected", "verdict", "IMDSv1 callers", "fail with hop limit 1"];

function details(i: InstanceCallerReport): { caller: CallerAssessment; kind: string }[] {
  return [...i.v1Callers.map((caller) => ({ caller, kind: "IMDSv1" })), ...i.rejectedCallers.filter((c) => c.v1Requests === 0).map((caller) => ({ caller, kind: "rejected" }))];
}

/** Why a caller has no process, as docs/migration.md ("What cannot be attributed") explains it. */
const UNATTRIBUTED: Partial<Record<CallerAssessment["attribution"], string>> = {
  "not-local": "another host, a network namespace imds-lab did not create, or a forwarded connection",
  "socket-gone": "the connection closed before its process was read",
  "process-not-found": "no process this user may read holds the socket",
  disabled: "attribution is off (--no-attribute-callers)",
  unsupported: "no /proc on this system",
  timeout: "reading /proc took too long",
  busy: "too many new connections at once",
};

function callerLines(caller: CallerAssessment): string[] {
  const lines = [`${caller.label}`];
  const p = caller.process;
  if (p !== undefined) {
    const command = p.command.join(" ").replace(/\s+/g, " ");
    lines.push(`    pid ${p.pid}, command: ${command.length > 300 ? `${command.slice(0, 297)}...` : command || p.comm}`);
    const user = p.user !== undefined ? `${p.user} (uid ${p.uid})` : p.uid !== undefined ? `uid ${p.uid}` : "unknown";
    lines.push(`    user: ${user}${p.exe !== undefined ? `, executable: ${p.exe}` : ""}`);
    lines.push(`    container: ${p.container !== undefined ? `${p.container.runtime} ${p.container.id}${p.container.podUid ? ` (pod ${p.container.podUid})` : ""}` : "none (a process of the host)"}`);
    if (p.parents.length > 0) lines.push(`    parents: ${p.parents.map((x) => `${x.pid} ${x.command.join(" ")}`).join(" <- ")}`);
  } else {
    lines.push(`    not attributed (${caller.attribution}: ${UNATTRIBUTED[caller.attribution] ?? "no process found"}); address ${caller.remoteAddresses.join(", ")}`);
  }
  if (caller.userAgents.length > 0) lines.push(`    User-Agent: ${caller.userAgents.join(" | ")}`);
  if (caller.v1Requests > 0) lines.push(`    IMDSv1 requests: ${caller.v1Requests}: ${paths(caller)}`);
  if (caller.v1Rejected > 0) lines.push(`    rejected (401): ${caller.v1Rejected}`);
  lines.push(`    network: ${caller.hop.detail}; needs hop limit ${caller.hop.requiredHopLimit}`);
  return lines;
}

export function renderReportTable(report: CallerReport): string {
  const out = [terminalTable(HEAD, rows(report, false))];
  for (const i of report.instances) {
    const list = details(i);
    if (list.length === 0) continue;
    out.push("", pc.bold(`${i.instanceId}: callers that fail once IMDSv2 is required`));
    for (const { caller, kind } of list) out.push(...callerLines(caller).map((l, n) => (n === 0 ? `  [${kind}] ${l}` : `  ${l}`)));
  }
  out.push("", summaryLine(report));
  return out.join("\n");
}

export function renderReportMarkdown(report: CallerReport): string {
  const out = [`# IMDSv2 readiness report`, "", `Generated ${report.generatedAt}, traffic observed since ${report.observedSince}.`, "", markdownTable(HEAD, rows(report, true))];
  for (const i of report.instances) {
    const list = details(i);
    if (list.length === 0) continue;
    out.push("", `## ${i.instanceId}: callers that fail once IMDSv2 is required`, "");
    for (const { caller, kind } of list) {
      const [first, ...rest] = callerLines(caller);
      out.push(`- **${kind}** \`${first}\``, ...rest.map((l) => `  - ${l.trim()}`));
    }
  }
  out.push("", summaryLine(report));
  return out.join("\n");
}

function summaryLine(report: CallerReport): string {
  const breaking = report.instances.filter((i) => i.verdict === "breaks" || i.verdict === "hop-limit" || i.verdict === "rejecting").length;
  const log = report.accessLog;
  const dropped = log.dropped > 0 ? `, ${log.dropped} records dropped before they were counted` : "";
  return `${breaking} of ${report.instances.length} instance(s) would break or are breaking; ${log.recorded} requests recorded (log holds ${log.capacity}${dropped}).`;
}
