/** `imds-lab audit` output: findings as a table, Markdown, or SARIF 2.1.0 for code-scanning UIs. */
import pc from "picocolors";
import type { AuditResult, Finding } from "../../domain/migration/audit-findings.ts";
import { RULES, type RuleId, type Severity } from "../../domain/migration/finding-rules.ts";
import { markdownTable, terminalTable } from "./text-table.ts";

const HEAD = ["severity", "region", "resource", "finding", "detail"];

function severityText(severity: Severity, colourful: boolean): string {
  if (!colourful) return severity;
  return severity === "high" ? pc.red(severity) : severity === "medium" ? pc.yellow(severity) : pc.dim(severity);
}

function rows(findings: readonly Finding[], colourful: boolean) {
  const accounts = findings.some((f) => f.accountId !== undefined);
  return findings.map((f) => [severityText(f.severity, colourful), ...(accounts ? [f.accountId ?? ""] : []), f.region, f.resourceId, RULES[f.rule].title, f.message]);
}

function head(findings: readonly Finding[]): string[] {
  return findings.some((f) => f.accountId !== undefined) ? ["severity", "account", ...HEAD.slice(1)] : HEAD;
}

function summary(audit: AuditResult): string {
  const c = audit.counts;
  const regions = audit.inventory.regions;
  const resources = regions.reduce((n, r) => n + r.instances.length + r.launchTemplates.length + r.images.filter((i) => i.owned).length, 0);
  const accounts = audit.inventory.accounts?.length;
  return `${accounts !== undefined ? `${accounts} account(s), ` : ""}${regions.length} region(s), ${resources} resources read: ${c.high} high, ${c.medium} medium, ${c.low} low, ${c.info} info.`;
}

export function renderAuditTable(audit: AuditResult, options: { showInfo: boolean }): string {
  const shown = audit.findings.filter((f) => options.showInfo || f.severity !== "info");
  const hidden = audit.findings.length - shown.length;
  const table = shown.length === 0 ? "no findings" : terminalTable(head(shown), rows(shown, true));
  return `${table}\n${summary(audit)}${hidden > 0 ? ` (${hidden} info finding(s) hidden: --show-info)` : ""}`;
}

export function renderAuditMarkdown(audit: AuditResult): string {
  return [
    "# IMDS configuration audit",
    "",
    `Generated ${audit.inventory.generatedAt}${audit.inventory.endpoint ? ` against ${audit.inventory.endpoint}` : ""}.`,
    "",
    audit.findings.length === 0 ? "No findings." : markdownTable(head(audit.findings), rows(audit.findings, false)),
    "",
    summary(audit),
  ].join("\n");
}

// SARIF's security-severity is a CVSS-like score GitHub maps to critical/high/medium/low.
const SCORE: Readonly<Record<Severity, string>> = { high: "8.0", medium: "5.0", low: "3.0", info: "0.0" };
const LEVEL: Readonly<Record<Severity, "error" | "warning" | "note">> = { high: "error", medium: "warning", low: "note", info: "note" };

/** SARIF 2.1.0. Cloud resources have no file: each result names its resource as a logical location and an ARN-like URI. */
export function renderAuditSarif(audit: AuditResult, toolVersion: string): object {
  const used = [...new Set(audit.findings.map((f) => f.rule))].sort() as RuleId[];
  const account = audit.inventory.accountId ?? "";
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "imds-lab",
            version: toolVersion,
            informationUri: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html",
            rules: used.map((id) => ({
              id,
              name: id,
              shortDescription: { text: RULES[id].title },
              help: { text: RULES[id].remediation },
              helpUri: RULES[id].helpUri,
              defaultConfiguration: { level: LEVEL[RULES[id].severity] },
              properties: { "security-severity": SCORE[RULES[id].severity], tags: ["security", "imds"] },
            })),
          },
        },
        results: audit.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: used.indexOf(f.rule),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: `arn:aws:ec2:${f.region}:${f.accountId ?? account}:${f.resourceType}/${f.resourceId}` } },
              logicalLocations: [{ name: f.resourceId, kind: "resource", fullyQualifiedName: `${f.region}/${f.resourceType}/${f.resourceId}` }],
            },
          ],
          partialFingerprints: { "imdsLabFinding/v1": f.id },
          properties: { severity: f.severity, region: f.region, ...f.data },
        })),
      },
    ],
  };
}
