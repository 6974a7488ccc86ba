/**
 * Findings from an inventory (and, optionally, a caller report), as data. The rules match what
 * AWS Config `ec2-imdsv2-check`, Security Hub EC2.8 and prowler check (anchors §5), and add what
 * they miss: launch templates' effective value, AMIs, account defaults, enforcement, hop limits.
 */
import { describeOptionSource, type LaunchOptionSource } from "../instance/option-source.ts";
import { launchPrecedenceLayers, resolveLayers } from "../precedence/resolve.ts";
import type { CallerReport, InstanceCallerReport } from "./caller-report.ts";
import { containerHostHints } from "./container-hints.ts";
import { RULES, severityRank, type RuleId, type Severity } from "./finding-rules.ts";
import type { Inventory, LaunchTemplateSnapshot, RegionInventory } from "./inventory.ts";
import { usageVerdict } from "./usage-evidence.ts";

export type ResourceType = "instance" | "image" | "launch-template" | "account-defaults" | "region";

export interface Finding {
  /** Stable across runs: rule, Region and resource (SARIF's fingerprint). */
  readonly id: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  readonly region: string;
  readonly resourceType: ResourceType;
  readonly resourceId: string;
  readonly message: string;
  readonly data: Readonly<Record<string, string | number | boolean>>;
  /** The account, in a report over several accounts (account-audits.ts). */
  readonly accountId?: string;
}

export interface AuditResult {
  readonly inventory: Inventory;
  readonly findings: readonly Finding[];
  readonly counts: Readonly<Record<Severity, number>>;
}

export interface AuditOptions {
  /**
   * Account-level findings for Regions with no instance, template or AMI too. Off by default,
   * as prowler does: `--regions all` would otherwise list every unused Region twice.
   */
  readonly includeUnusedRegions?: boolean;
}

export function auditInventory(inventory: Inventory, report?: CallerReport, options: AuditOptions = {}): AuditResult {
  const findings: Finding[] = [];
  const reportByInstance = new Map((report?.instances ?? []).map((i) => [i.instanceId, i]));
  for (const region of inventory.regions) findings.push(...regionFindings(region, reportByInstance, options.includeUnusedRegions === true || isInUse(region)));
  findings.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
  const counts = { info: 0, low: 0, medium: 0, high: 0 };
  for (const f of findings) counts[f.severity]++;
  return { inventory, findings, counts };
}

/** For CI: true when some finding is at or above `threshold`. */
export function failsGate(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((f) => severityRank(f.severity) >= severityRank(threshold));
}

function finding(rule: RuleId, region: string, resourceType: ResourceType, resourceId: string, message: string, data: Finding["data"] = {}): Finding {
  return { id: `${rule}:${region}:${resourceId}`, rule, severity: RULES[rule].severity, region, resourceType, resourceId, message, data };
}

export function isInUse(region: RegionInventory): boolean {
  return region.instances.length > 0 || region.launchTemplates.length > 0 || region.images.some((i) => i.owned);
}

function regionFindings(region: RegionInventory, reports: ReadonlyMap<string, InstanceCallerReport>, accountLevel: boolean): Finding[] {
  const out: Finding[] = [];
  const name = region.region;
  for (const error of region.errors) {
    out.push(finding("audit-incomplete", name, "region", `${error.call}`, `${error.call} failed: ${error.code}`, { code: error.code, detail: error.message }));
  }
  const defaults = region.accountDefaults;
  if (defaults !== undefined && accountLevel) {
    if (defaults.httpTokens !== "required") {
      out.push(
        finding("account-default-imdsv1", name, "account-defaults", name, `new instances in ${name} allow IMDSv1 unless a template or AMI requires IMDSv2`, {
          httpTokens: defaults.httpTokens ?? "no-preference",
        }),
      );
    }
    if (defaults.httpTokensEnforced !== "enabled") {
      out.push(finding("account-enforcement-off", name, "account-defaults", name, `launches with IMDSv1 are not refused in ${name}`, { httpTokensEnforced: defaults.httpTokensEnforced ?? "no-preference" }));
    }
  }
  for (const image of region.images) {
    if (image.owned && image.imdsSupport !== "v2.0") {
      out.push(finding("image-imds-support-unset", name, "image", image.imageId, `AMI ${image.name} does not set ImdsSupport=v2.0`, { name: image.name }));
    }
  }
  for (const template of region.launchTemplates) {
    const open = templateVersionsAllowingV1(template, region);
    if (open.length === 0) continue;
    out.push(
      finding("launch-template-imdsv1-allowed", name, "launch-template", template.templateId, `${template.templateName}: version ${open.map((v) => v.label).join(", ")} launches with IMDSv1`, {
        name: template.templateName,
        versions: open.map((v) => v.label).join(", "),
        httpTokensFrom: open.map((v) => `${v.source.level} (${describeOptionSource(v.source)})`).join("; "),
      }),
    );
  }
  for (const instance of region.instances) {
    const options = instance.metadataOptions;
    const report = reports.get(instance.instanceId);
    if (options.httpEndpoint === "disabled") continue;
    if (options.httpTokens !== "required") {
      const usage = instance.usage;
      const callers = (report?.v1Callers ?? []).map((c) => c.label);
      const verdict = usage === undefined ? "" : `: ${usageVerdict(usage, callers)}`;
      out.push(
        finding("instance-imdsv1-allowed", name, "instance", instance.instanceId, `${instance.instanceId} (${instance.state}) answers IMDSv1${verdict}`, {
          state: instance.state,
          ...(usage === undefined
            ? {}
            : { imdsv1Calls: usage.noTokenCalls, ...(usage.lastNoTokenAt !== undefined ? { lastImdsv1CallAt: usage.lastNoTokenAt } : {}), evidenceSince: usage.windowStart }),
        }),
      );
    }
    if (report === undefined && instance.usage !== undefined && instance.usage.rejectedCalls > 0) {
      const u = instance.usage;
      out.push(
        finding("observed-imdsv1-rejected", name, "instance", instance.instanceId, `${u.rejectedCalls} IMDSv1 call(s) rejected on ${instance.instanceId} since ${u.windowStart}, last at ${u.lastRejectedAt ?? "?"}`, {
          MetadataNoTokenRejected: u.rejectedCalls,
          ...(u.lastRejectedAt !== undefined ? { lastRejectedAt: u.lastRejectedAt } : {}),
        }),
      );
    }
    const hints = containerHostHints(instance, region.images, report);
    if (options.httpPutResponseHopLimit < 2 && hints.length > 0) {
      out.push(
        finding("instance-hop-limit-container-host", name, "instance", instance.instanceId, `${instance.instanceId} has hop limit ${options.httpPutResponseHopLimit} and looks like a container host`, {
          hopLimit: options.httpPutResponseHopLimit,
          hints: hints.join("; "),
        }),
      );
    }
    if (options.instanceMetadataTags !== "enabled") {
      out.push(finding("instance-tags-in-metadata-off", name, "instance", instance.instanceId, `${instance.instanceId} does not show its tags in metadata`));
    }
    if (report !== undefined) out.push(...callerFindings(name, report));
  }
  return out;
}

function callerFindings(region: string, report: InstanceCallerReport): Finding[] {
  const out: Finding[] = [];
  for (const caller of report.v1Callers) {
    out.push({
      ...finding("observed-imdsv1-caller", region, "instance", report.instanceId, `${caller.label} called IMDSv1 ${caller.v1Requests} times on ${report.instanceId}`, {
        caller: caller.label,
        requests: caller.v1Requests,
        paths: caller.v1Paths.map((p) => p.path).join(", "),
      }),
      id: `observed-imdsv1-caller:${region}:${report.instanceId}:${caller.key}`,
    });
  }
  if (report.metrics.MetadataNoTokenRejected > 0) {
    out.push(
      finding("observed-imdsv1-rejected", region, "instance", report.instanceId, `${report.metrics.MetadataNoTokenRejected} IMDSv1 calls rejected on ${report.instanceId}`, {
        MetadataNoTokenRejected: report.metrics.MetadataNoTokenRejected,
      }),
    );
  }
  return out;
}

interface OpenVersion {
  readonly label: string;
  readonly source: LaunchOptionSource;
}

/** The default and latest versions whose launches would get HttpTokens=optional, and from which level. */
export function templateVersionsAllowingV1(template: LaunchTemplateSnapshot, region: RegionInventory): OpenVersion[] {
  const out: OpenVersion[] = [];
  for (const version of template.versions) {
    const image = region.images.find((i) => i.imageId === version.imageId);
    const resolved = resolveLayers(
      launchPrecedenceLayers({
        launchTemplate: { input: version.metadataOptions, templateId: template.templateId, templateName: template.templateName, version: version.versionNumber },
        account: { ...(region.accountDefaults ?? {}), managedBy: "account", region: region.region },
        image: { imageId: version.imageId ?? "(none)", imdsSupport: image?.imdsSupport ?? null },
      }),
    );
    if (resolved.options.httpEndpoint === "disabled" || resolved.options.httpTokens === "required") continue;
    const marks = [version.isDefault ? "$Default" : "", version.isLatest ? "$Latest" : ""].filter((m) => m !== "").join(" ");
    out.push({ label: `${version.versionNumber}${marks === "" ? "" : ` (${marks})`}`, source: resolved.sources.httpTokens });
  }
  return out;
}
