/**
 * Reads one account's IMDS-relevant configuration, Region by Region, through @aws-sdk/client-ec2:
 * account defaults, own AMIs, launch templates ($Default and $Latest), instances that exist.
 * Read-only calls; a call that fails is recorded and the rest of the Region is still read.
 */
import {
  DescribeImagesCommand,
  DescribeLaunchTemplateVersionsCommand,
  GetInstanceMetadataDefaultsCommand,
  paginateDescribeInstances,
  paginateDescribeLaunchTemplates,
  type EC2Client,
  type Image,
  type LaunchTemplateInstanceMetadataOptions,
  type Tag,
} from "@aws-sdk/client-ec2";
import type {
  AccountDefaultsSnapshot,
  ImageSnapshot,
  InstanceSnapshot,
  Inventory,
  InventoryError,
  LaunchTemplateSnapshot,
  RegionInventory,
  ResourceTag,
  TemplateMetadataOptions,
} from "../domain/migration/inventory.ts";
import type { EndpointState, HttpTokens } from "../domain/options/metadata-options.ts";
import type { ImdsUsageEvidence } from "../domain/migration/usage-evidence.ts";
import type { ClientFactory } from "./ec2-target.ts";
import { errorCode } from "./error-code.ts";

export const REGION_STAGES = ["account defaults", "images", "launch templates", "instances", "cloudwatch"] as const;

export interface CollectOptions {
  readonly clients: ClientFactory;
  readonly regions: readonly string[];
  readonly endpoint?: string;
  readonly nowMs: number;
  readonly concurrency?: number;
  /** Adds CloudWatch's evidence of IMDSv1 use to each instance of a Region (cloudwatch-evidence.ts). */
  readonly evidence?: (region: string, instanceIds: readonly string[]) => Promise<ReadonlyMap<string, ImdsUsageEvidence>>;
  /** Called after each stage of each Region (for a progress bar). */
  readonly onStage?: (region: string, stage: (typeof REGION_STAGES)[number]) => void;
}

/** A Region's inventory and the account id its resources named (OwnerId). */
export interface RegionResult {
  readonly inventory: RegionInventory;
  readonly ownerId?: string;
}

export async function collectInventory(options: CollectOptions): Promise<Inventory> {
  const results: RegionResult[] = new Array(options.regions.length);
  let next = 0;
  const worker = async () => {
    while (next < options.regions.length) {
      const index = next++;
      const region = options.regions[index]!;
      const result = await collectRegion(options.clients(region), region, (stage) => options.onStage?.(region, stage));
      results[index] = options.evidence === undefined ? result : await withEvidence(result, region, options.evidence);
      options.onStage?.(region, "cloudwatch");
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, options.regions.length) }, worker));
  const accountId = results.map((r) => r.ownerId).find((id) => id !== undefined);
  return {
    generatedAt: new Date(options.nowMs).toISOString(),
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(accountId !== undefined ? { accountId } : {}),
    regions: results.map((r) => r.inventory),
  };
}

export async function collectRegion(
  client: EC2Client,
  region: string,
  onStage: (stage: (typeof REGION_STAGES)[number]) => void = () => undefined,
): Promise<RegionResult> {
  const errors: InventoryError[] = [];
  const attempt = async <T>(call: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (err) {
      errors.push({ call, code: errorCode(err), message: (err as Error).message ?? String(err) });
      return undefined;
    }
  };
  let ownerId: string | undefined;

  const defaults = await attempt("GetInstanceMetadataDefaults", async () => {
    const level = (await client.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {};
    const out: { -readonly [K in keyof AccountDefaultsSnapshot]: AccountDefaultsSnapshot[K] } = {};
    if (level.HttpTokens !== undefined) out.httpTokens = level.HttpTokens as HttpTokens;
    if (level.HttpPutResponseHopLimit !== undefined) out.httpPutResponseHopLimit = level.HttpPutResponseHopLimit;
    if (level.HttpEndpoint !== undefined) out.httpEndpoint = level.HttpEndpoint as EndpointState;
    if (level.InstanceMetadataTags !== undefined) out.instanceMetadataTags = level.InstanceMetadataTags as EndpointState;
    if (level.HttpTokensEnforced !== undefined) out.httpTokensEnforced = level.HttpTokensEnforced as "enabled" | "disabled";
    if (level.ManagedBy !== undefined) out.managedBy = level.ManagedBy;
    return out;
  });
  onStage("account defaults");

  const owned = (await attempt("DescribeImages", async () => (await client.send(new DescribeImagesCommand({ Owners: ["self"] }))).Images ?? [])) ?? [];
  const images: ImageSnapshot[] = owned.map((image) => imageSnapshot(image, true));
  ownerId ??= owned.find((i) => i.OwnerId !== undefined)?.OwnerId;
  onStage("images");

  const launchTemplates: LaunchTemplateSnapshot[] = [];
  await attempt("DescribeLaunchTemplates", async () => {
    for await (const page of paginateDescribeLaunchTemplates({ client }, {})) {
      for (const t of page.LaunchTemplates ?? []) {
        const id = t.LaunchTemplateId ?? "";
        const answer = await attempt(`DescribeLaunchTemplateVersions ${id}`, () =>
          client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["$Default", "$Latest"] })),
        );
        const seen = new Set<number>();
        const versions = (answer?.LaunchTemplateVersions ?? [])
          .filter((v) => v.VersionNumber !== undefined && !seen.has(v.VersionNumber) && seen.add(v.VersionNumber))
          .map((v) => ({
            versionNumber: v.VersionNumber!,
            isDefault: v.VersionNumber === t.DefaultVersionNumber,
            isLatest: v.VersionNumber === t.LatestVersionNumber,
            ...(v.LaunchTemplateData?.ImageId !== undefined ? { imageId: v.LaunchTemplateData.ImageId } : {}),
            metadataOptions: templateOptions(v.LaunchTemplateData?.MetadataOptions),
          }))
          .sort((a, b) => a.versionNumber - b.versionNumber);
        launchTemplates.push({
          templateId: id,
          templateName: t.LaunchTemplateName ?? "",
          defaultVersion: t.DefaultVersionNumber ?? 1,
          latestVersion: t.LatestVersionNumber ?? 1,
          versions,
          tags: tags(t.Tags),
        });
      }
    }
  });
  onStage("launch templates");

  const instances: InstanceSnapshot[] = [];
  await attempt("DescribeInstances", async () => {
    const filter = { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] };
    for await (const page of paginateDescribeInstances({ client }, { Filters: [filter] })) {
      for (const reservation of page.Reservations ?? []) {
        ownerId ??= reservation.OwnerId;
        for (const i of reservation.Instances ?? []) {
          const m = i.MetadataOptions ?? {};
          const instanceTags = tags(i.Tags);
          const templateId = instanceTags.find((t) => t.key === "aws:ec2launchtemplate:id")?.value;
          instances.push({
            instanceId: i.InstanceId ?? "",
            state: i.State?.Name ?? "unknown",
            imageId: i.ImageId ?? "",
            ...(templateId !== undefined ? { launchTemplateId: templateId } : {}),
            tags: instanceTags,
            metadataOptions: {
              httpTokens: (m.HttpTokens ?? "optional") as HttpTokens,
              httpPutResponseHopLimit: m.HttpPutResponseHopLimit ?? 1,
              httpEndpoint: (m.HttpEndpoint ?? "enabled") as EndpointState,
              instanceMetadataTags: (m.InstanceMetadataTags ?? "disabled") as EndpointState,
              ...(m.HttpProtocolIpv6 !== undefined ? { httpProtocolIpv6: m.HttpProtocolIpv6 as EndpointState } : {}),
            },
          });
        }
      }
    }
  });
  // AMIs that templates and instances use but the account does not own (public, shared):
  // their ImdsSupport decides what a template that sets nothing launches with.
  const known = new Set(images.map((i) => i.imageId));
  const referenced = [...new Set([...launchTemplates.flatMap((t) => t.versions.map((v) => v.imageId)), ...instances.map((i) => i.imageId)])].filter(
    (id): id is string => id !== undefined && id.startsWith("ami-") && !known.has(id),
  );
  for (let i = 0; i < referenced.length; i += 100) {
    const found = await client.send(new DescribeImagesCommand({ ImageIds: referenced.slice(i, i + 100) })).then((a) => a.Images ?? [], () => [] as Image[]);
    images.push(...found.map((image) => imageSnapshot(image, false)));
  }
  onStage("instances");
  const inventory = { region, ...(defaults !== undefined ? { accountDefaults: defaults } : {}), images, launchTemplates, instances, errors };
  return { inventory, ...(ownerId !== undefined ? { ownerId } : {}) };
}

function imageSnapshot(image: Image, owned: boolean): ImageSnapshot {
  return {
    imageId: image.ImageId ?? "",
    name: image.Name ?? "",
    ...(image.ImdsSupport === "v2.0" ? { imdsSupport: "v2.0" as const } : {}),
    owned,
    tags: tags(image.Tags),
  };
}

function templateOptions(m: LaunchTemplateInstanceMetadataOptions | undefined): TemplateMetadataOptions {
  const out: { -readonly [K in keyof TemplateMetadataOptions]: TemplateMetadataOptions[K] } = {};
  if (m === undefined) return out;
  if (m.HttpTokens !== undefined) out.httpTokens = m.HttpTokens as HttpTokens;
  if (m.HttpPutResponseHopLimit !== undefined) out.httpPutResponseHopLimit = m.HttpPutResponseHopLimit;
  if (m.HttpEndpoint !== undefined) out.httpEndpoint = m.HttpEndpoint as EndpointState;
  if (m.InstanceMetadataTags !== undefined) out.instanceMetadataTags = m.InstanceMetadataTags as EndpointState;
  if (m.HttpProtocolIpv6 !== undefined) out.httpProtocolIpv6 = m.HttpProtocolIpv6 as EndpointState;
  return out;
}

function tags(list: readonly Tag[] | undefined): ResourceTag[] {
  return (list ?? []).map((t) => ({ key: t.Key ?? "", value: t.Value ?? "" }));
}

/** The Region with each instance's usage evidence; a CloudWatch failure is one more inventory error. */
async function withEvidence(result: RegionResult, region: string, evidence: NonNullable<CollectOptions["evidence"]>): Promise<RegionResult> {
  const inventory = result.inventory;
  try {
    const usage = await evidence(region, inventory.instances.map((i) => i.instanceId));
    const instances = inventory.instances.map((i) => {
      const u = usage.get(i.instanceId);
      return u === undefined ? i : { ...i, usage: u };
    });
    return { ...result, inventory: { ...inventory, instances } };
  } catch (err) {
    const error = { call: "GetMetricData", code: errorCode(err), message: (err as Error).message ?? String(err) };
    return { ...result, inventory: { ...inventory, errors: [...inventory.errors, error] } };
  }
}
