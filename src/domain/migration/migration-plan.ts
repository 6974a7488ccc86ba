/**
 * Findings -> an ordered plan, in the order the seed scenario follows: fix the IMDSv1 callers,
 * then AMIs (irreversible), account defaults per Region, launch templates, instances; enforcement
 * comes last, because HttpTokensEnforced refuses launches from templates not yet migrated.
 */
import type { AuditResult, Finding } from "./audit-findings.ts";
import { METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../options/metadata-option-names.ts";
import { awsCli } from "./aws-cli.ts";
import type { CallerReport, InstanceCallerReport } from "./caller-report.ts";
import { containerHostHints } from "./container-hints.ts";
import type { InstanceSnapshot, LaunchTemplateSnapshot, RegionInventory } from "./inventory.ts";
import { usageRank, usageVerdict } from "./usage-evidence.ts";
import { digest, PHASES, type MigrationPlan, type Phase, type PlanStep, type StepAction } from "./plan-steps.ts";

export const VERSION_DESCRIPTION = "imds-lab: require IMDSv2";
/** What bridged containers need (docs/behaviour.md#hop-limit; AWS's own choice for ImdsSupport=v2.0 AMIs). */
const CONTAINER_HOP_LIMIT = 2;

type Draft = Omit<PlanStep, "order">;

export function buildMigrationPlan(audit: AuditResult, report: CallerReport | undefined, nowMs: number): MigrationPlan {
  const findingsOf = indexFindings(audit.findings);
  const reports = new Map((report?.instances ?? []).map((i) => [i.instanceId, i]));
  const drafts: Draft[] = [];
  for (const region of audit.inventory.regions) drafts.push(...regionSteps(region, findingsOf, reports));
  // Within a phase, instances with no IMDSv1 use in CloudWatch go first, the busiest last.
  const rank = new Map(audit.inventory.regions.flatMap((r) => r.instances.map((i) => [i.instanceId, usageRank(i.usage)] as const)));
  const rankOf = (d: Draft) => (d.action.kind === "require-v2-instance" ? (rank.get(d.action.instanceId) ?? 0) : 0);
  drafts.sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || rankOf(a) - rankOf(b));
  const steps = drafts.map((d, i) => ({ ...d, order: i + 1 }));
  const source = {
    ...(audit.inventory.endpoint !== undefined ? { endpoint: audit.inventory.endpoint } : {}),
    ...(audit.inventory.accountId !== undefined ? { accountId: audit.inventory.accountId } : {}),
    auditGeneratedAt: audit.inventory.generatedAt,
    ...(report !== undefined ? { reportGeneratedAt: report.generatedAt } : {}),
  };
  return {
    kind: "imds-lab/migration-plan",
    version: 1,
    id: digest(JSON.stringify(steps.map((s) => [s.id, s.action]))),
    generatedAt: new Date(nowMs).toISOString(),
    source,
    irreversible: steps.filter((s) => !s.reversible).map((s) => s.id),
    steps,
  };
}

function indexFindings(findings: readonly Finding[]): (rule: Finding["rule"], region: string, resourceId: string) => string[] {
  return (rule, region, resourceId) => findings.filter((f) => f.rule === rule && f.region === region && f.resourceId === resourceId).map((f) => f.id);
}

function step(phase: Phase, region: string, resourceId: string, action: StepAction, fields: Partial<Draft> & Pick<Draft, "title" | "awsCli">): Draft {
  return {
    id: `${phase}:${region}:${resourceId}`,
    phase,
    region,
    resourceId,
    action,
    manual: action.kind === "fix-caller" || action.kind === "change-declarative-policy",
    reversible: action.kind !== "set-image-imds-support",
    findings: [],
    notes: [],
    dependsOn: [],
    ...fields,
  };
}

function regionSteps(region: RegionInventory, findingsOf: ReturnType<typeof indexFindings>, reports: ReadonlyMap<string, InstanceCallerReport>): Draft[] {
  const r = region.region;
  const out: Draft[] = [];
  const instanceSteps: Draft[] = [];
  const templateSteps: Draft[] = [];
  for (const instance of region.instances) {
    const v1 = findingsOf("instance-imdsv1-allowed", r, instance.instanceId);
    const hop = findingsOf("instance-hop-limit-container-host", r, instance.instanceId);
    if (v1.length === 0 && hop.length === 0) continue;
    const report = reports.get(instance.instanceId);
    const callerSteps = (report?.v1Callers ?? []).map((caller) =>
      step("callers", r, `${instance.instanceId}/${caller.key}`, { kind: "fix-caller", instanceId: instance.instanceId, caller: caller.label, paths: caller.v1Paths.map((p) => p.path) }, {
        title: `update ${caller.label} on ${instance.instanceId} to IMDSv2 (it called ${caller.v1Paths.map((p) => p.path).slice(0, 3).join(", ")})`,
        awsCli: [],
        // The audit's id for this caller, whether or not the audit was given the report.
        findings: [`observed-imdsv1-caller:${r}:${instance.instanceId}:${caller.key}`],
        notes: ["AWS SDKs released since late 2019 use IMDSv2 first; curl/wget scripts need a token PUT (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html)"],
      }),
    );
    out.push(...callerSteps);
    instanceSteps.push(instanceStep(instance, region, report, [...v1, ...hop], callerSteps.map((s) => s.id)));
  }
  for (const image of region.images) {
    const ids = findingsOf("image-imds-support-unset", r, image.imageId);
    if (ids.length === 0) continue;
    out.push(
      step("images", r, image.imageId, { kind: "set-image-imds-support", imageId: image.imageId }, {
        title: `AMI ${image.imageId} (${image.name}): ImdsSupport=v2.0 (IRREVERSIBLE)`,
        awsCli: [awsCli("ec2", "modify-image-attribute", r, [["image-id", image.imageId], ["imds-support", "Value=v2.0"]])],
        findings: ids,
        notes: ["EC2 cannot unset ImdsSupport: rollback leaves it; later launches from this AMI default to HttpTokens=required and hop limit 2"],
      }),
    );
  }
  const defaultsIds = findingsOf("account-default-imdsv1", r, r);
  const policyManaged = region.accountDefaults?.managedBy === "declarative-policy";
  if (defaultsIds.length > 0) {
    out.push(
      policyManaged
        ? step("account-defaults", r, r, { kind: "change-declarative-policy" }, {
            title: `${r}: account defaults are managed by a declarative policy: set http_tokens to required there`,
            awsCli: [],
            findings: defaultsIds,
          })
        : step("account-defaults", r, r, { kind: "set-account-defaults", httpTokens: "required" }, {
            title: `${r}: account default HttpTokens=required`,
            awsCli: [awsCli("ec2", "modify-instance-metadata-defaults", r, [["http-tokens", "required"]])],
            findings: defaultsIds,
          }),
    );
  }
  for (const template of region.launchTemplates) {
    const ids = findingsOf("launch-template-imdsv1-allowed", r, template.templateId);
    if (ids.length > 0) templateSteps.push(templateStep(template, region, reports, ids));
  }
  out.push(...templateSteps, ...instanceSteps);
  const enforcementIds = findingsOf("account-enforcement-off", r, r);
  if (enforcementIds.length > 0 && !policyManaged) {
    out.push(
      step("enforcement", r, r, { kind: "enforce-imdsv2" }, {
        title: `${r}: HttpTokensEnforced=enabled (launches with IMDSv1 are refused from now on)`,
        awsCli: [awsCli("ec2", "modify-instance-metadata-defaults", r, [["http-tokens-enforced", "enabled"]])],
        findings: enforcementIds,
        dependsOn: templateSteps.map((s) => s.id),
      }),
    );
  }
  return out;
}

function instanceStep(instance: InstanceSnapshot, region: RegionInventory, report: InstanceCallerReport | undefined, findings: string[], callerSteps: string[]): Draft {
  const current = instance.metadataOptions.httpPutResponseHopLimit;
  const hints = containerHostHints(instance, region.images, report);
  const needed = Math.max(report?.requiredHopLimit ?? 1, hints.length > 0 ? CONTAINER_HOP_LIMIT : 1);
  const hopLimit = needed > current ? needed : undefined;
  // Only what must change: HttpEndpoint and the rest keep their values (a modification keeps unsent fields).
  const args: [string, string][] = [["instance-id", instance.instanceId], ["http-tokens", "required"]];
  if (hopLimit !== undefined) args.push(["http-put-response-hop-limit", String(hopLimit)]);
  const notes: string[] = [];
  if (instance.usage !== undefined) notes.push(`CloudWatch: ${usageVerdict(instance.usage, (report?.v1Callers ?? []).map((c) => c.label))}`);
  if ((report === undefined || report.verdict === "no-traffic") && instance.usage === undefined) notes.push("no IMDS traffic observed for this instance: callers are unknown");
  if (report !== undefined && report.v1Callers.length > 0) notes.push(`the report predicts ${report.v1Callers.length} IMDSv1 caller(s) fail after this step unless updated first`);
  if (hopLimit !== undefined) notes.push(`hop limit ${current} -> ${hopLimit}: ${hints.join("; ") || "callers beyond one hop"}`);
  return step("instances", region.region, instance.instanceId, { kind: "require-v2-instance", instanceId: instance.instanceId, ...(hopLimit !== undefined ? { httpPutResponseHopLimit: hopLimit } : {}) }, {
    title: `${instance.instanceId} (${instance.state}): HttpTokens=required${hopLimit !== undefined ? `, hop limit ${hopLimit}` : ""}`,
    awsCli: [awsCli("ec2", "modify-instance-metadata-options", region.region, args)],
    findings,
    notes,
    dependsOn: callerSteps,
  });
}

function templateStep(template: LaunchTemplateSnapshot, region: RegionInventory, reports: ReadonlyMap<string, InstanceCallerReport>, findings: string[]): Draft {
  const r = region.region;
  const launched = region.instances.filter((i) => i.launchTemplateId === template.templateId);
  const containerHost = launched.some((i) => containerHostHints(i, region.images, reports.get(i.instanceId)).length > 0);
  const sources = template.versions.filter((v) => v.isDefault || v.isLatest);
  const commands: string[] = [];
  for (const version of [...sources].sort((a, b) => Number(a.isLatest) - Number(b.isLatest))) {
    const hop = containerHost ? Math.max(CONTAINER_HOP_LIMIT, version.metadataOptions.httpPutResponseHopLimit ?? 0) : version.metadataOptions.httpPutResponseHopLimit;
    // The whole struct: a new version's MetadataOptions may replace the source's (docs/behaviour.md#order-of-precedence-at-launch).
    const options = { HttpTokens: "required", ...capitalised(version.metadataOptions), ...(hop !== undefined ? { HttpPutResponseHopLimit: hop } : {}) };
    commands.push(
      awsCli("ec2", "create-launch-template-version", r, [
        ["launch-template-id", template.templateId],
        ["source-version", String(version.versionNumber)],
        ["version-description", VERSION_DESCRIPTION],
        ["launch-template-data", JSON.stringify({ MetadataOptions: options })],
      ]),
    );
  }
  commands.push(awsCli("ec2", "modify-launch-template", r, [["launch-template-id", template.templateId], ["default-version", "<new version from $Default>"]]));
  const differ = template.defaultVersion !== template.latestVersion;
  return step("launch-templates", r, template.templateId, { kind: "require-v2-launch-template", templateId: template.templateId, templateName: template.templateName, ...(containerHost ? { httpPutResponseHopLimit: CONTAINER_HOP_LIMIT } : {}) }, {
    title: `launch template ${template.templateName} (${template.templateId}): new version${differ ? "s from $Default and $Latest" : ""} with HttpTokens=required, made the default`,
    awsCli: commands,
    findings,
    notes: differ ? ["$Default and $Latest differ: each gets its own new version, so both keep their other settings"] : [],
  });
}

/** The version's other options by their wire names (HttpTokens is the step's own). */
function capitalised(options: LaunchTemplateSnapshot["versions"][number]["metadataOptions"]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of METADATA_OPTION_FIELDS) {
    const value = options[field];
    if (field !== "httpTokens" && value !== undefined) out[METADATA_OPTION_NAMES[field].param] = value;
  }
  return out;
}
