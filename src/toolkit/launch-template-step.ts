/**
 * A launch template requires IMDSv2 through new versions, never by editing one (versions are
 * immutable): one copied from $Default and made the default, and, when $Latest is a different
 * version, one copied from it too, so whoever launches $Latest keeps its other settings.
 * Rollback restores the default version and deletes the versions the step created.
 */
import {
  CreateLaunchTemplateVersionCommand,
  DeleteLaunchTemplateVersionsCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  ModifyLaunchTemplateCommand,
  type EC2Client,
  type LaunchTemplateInstanceMetadataOptions,
  type LaunchTemplateInstanceMetadataOptionsRequest,
} from "@aws-sdk/client-ec2";
import { VERSION_DESCRIPTION } from "../domain/migration/migration-plan.ts";
import type { StepAction } from "../domain/migration/plan-steps.ts";
import type { JournalEntry, PreviousState } from "./apply-journal.ts";
import { dryRun, type ApplyResult, type RollbackResult, type SaveProgress } from "./dry-run.ts";

type TemplateAction = Extract<StepAction, { kind: "require-v2-launch-template" }>;

interface TemplateVersions {
  readonly defaultVersion: number;
  readonly latestVersion: number;
  readonly options: ReadonlyMap<number, LaunchTemplateInstanceMetadataOptions>;
}

async function describe(client: EC2Client, templateId: string, versions?: readonly number[]): Promise<TemplateVersions> {
  const template = (await client.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [templateId] }))).LaunchTemplates?.[0];
  const defaultVersion = template?.DefaultVersionNumber ?? 1;
  const latestVersion = template?.LatestVersionNumber ?? defaultVersion;
  const wanted = versions ?? [defaultVersion, latestVersion];
  const answer = await client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [...new Set(wanted)].map(String) }));
  const options = new Map<number, LaunchTemplateInstanceMetadataOptions>();
  for (const v of answer.LaunchTemplateVersions ?? []) if (v.VersionNumber !== undefined) options.set(v.VersionNumber, v.LaunchTemplateData?.MetadataOptions ?? {});
  return { defaultVersion, latestVersion, options };
}

/** The source's options with HttpTokens=required (and the raised hop limit): the whole struct, since a new version may replace it whole. */
function required(source: LaunchTemplateInstanceMetadataOptions | undefined, hopLimit: number | undefined): LaunchTemplateInstanceMetadataOptionsRequest {
  const s = source ?? {};
  const hop = hopLimit !== undefined && (s.HttpPutResponseHopLimit ?? 0) < hopLimit ? hopLimit : s.HttpPutResponseHopLimit;
  return {
    HttpTokens: "required",
    ...(hop !== undefined ? { HttpPutResponseHopLimit: hop } : {}),
    ...(s.HttpEndpoint !== undefined ? { HttpEndpoint: s.HttpEndpoint as "enabled" | "disabled" } : {}),
    ...(s.HttpProtocolIpv6 !== undefined ? { HttpProtocolIpv6: s.HttpProtocolIpv6 as "enabled" | "disabled" } : {}),
    ...(s.InstanceMetadataTags !== undefined ? { InstanceMetadataTags: s.InstanceMetadataTags as "enabled" | "disabled" } : {}),
  };
}

function satisfied(options: LaunchTemplateInstanceMetadataOptions | undefined, hopLimit: number | undefined): boolean {
  return options?.HttpTokens === "required" && (hopLimit === undefined || (options.HttpPutResponseHopLimit ?? 0) >= hopLimit);
}

function createVersion(templateId: string, source: number, options: LaunchTemplateInstanceMetadataOptionsRequest, check: boolean) {
  return new CreateLaunchTemplateVersionCommand({
    LaunchTemplateId: templateId,
    SourceVersion: String(source),
    VersionDescription: VERSION_DESCRIPTION,
    LaunchTemplateData: { MetadataOptions: options },
    DryRun: check,
  });
}

export async function dryRunTemplateStep(client: EC2Client, action: TemplateAction): Promise<void> {
  const t = await describe(client, action.templateId);
  await dryRun(() => client.send(createVersion(action.templateId, t.defaultVersion, required(t.options.get(t.defaultVersion), action.httpPutResponseHopLimit), true)));
  await dryRun(() => client.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: action.templateId, DefaultVersion: String(t.defaultVersion), DryRun: true })));
}

export async function applyTemplateStep(client: EC2Client, action: TemplateAction, entry: JournalEntry | undefined, save: SaveProgress): Promise<ApplyResult> {
  const id = action.templateId;
  let previous = entry?.previous;
  if (previous?.kind !== "launch-template") {
    const live = await describe(client, id);
    previous = { kind: "launch-template", defaultVersion: live.defaultVersion, latestVersion: live.latestVersion };
    save({ previous });
  }
  // Sources are the versions seen first: after a crash, $Latest may already be our own copy.
  const t = await describe(client, id, [previous.defaultVersion, previous.latestVersion]);
  const created = { ...(entry?.created ?? {}) };
  const hop = action.httpPutResponseHopLimit;
  const create = async (source: number) =>
    (await client.send(createVersion(id, source, required(t.options.get(source), hop), false))).LaunchTemplateVersion?.VersionNumber;
  if (created.fromDefault === undefined && !satisfied(t.options.get(previous.defaultVersion), hop)) {
    created.fromDefault = await create(previous.defaultVersion);
    save({ created: { ...created } });
  }
  if (previous.latestVersion !== previous.defaultVersion && created.fromLatest === undefined && !satisfied(t.options.get(previous.latestVersion), hop)) {
    created.fromLatest = await create(previous.latestVersion);
    save({ created: { ...created } });
  }
  if (created.fromDefault !== undefined && created.defaultSet !== true) {
    await client.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: String(created.fromDefault) }));
    created.defaultSet = true;
    save({ created: { ...created } });
  }
  const changed = created.fromDefault !== undefined || created.fromLatest !== undefined;
  return { status: changed ? "done" : "unchanged", previous: previous as PreviousState };
}

export async function rollbackTemplateStep(client: EC2Client, action: TemplateAction, entry: JournalEntry, check: boolean): Promise<RollbackResult> {
  const previous = entry.previous;
  const created = entry.created ?? {};
  if (previous?.kind !== "launch-template") return "nothing-to-undo";
  const ours = [created.fromLatest, created.fromDefault].filter((v): v is number => v !== undefined);
  if (ours.length === 0) return "nothing-to-undo";
  const run = async (call: () => Promise<unknown>) => (check ? dryRun(call) : void (await call()));
  // The default goes back first: EC2 refuses to delete the default version.
  if (created.defaultSet === true) {
    await run(() => client.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: action.templateId, DefaultVersion: String(previous.defaultVersion), DryRun: check })));
  }
  if (!check || created.defaultSet !== true) {
    await run(() => client.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: action.templateId, Versions: ours.map(String), DryRun: check })));
  }
  return "rolled-back";
}
