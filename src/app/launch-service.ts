/**
 * RunInstances as a use case: `planLaunch` reads the repositories and decides everything (template,
 * image, options with their sources, tags) or throws, writing nothing; `launch` then
 * creates the instances and serves each on its own IMDS endpoint.
 */
import { DomainError } from "../domain/errors.ts";
import type { Instance, Tag } from "../domain/instance/instance.ts";
import { parseUserData } from "../domain/instance/user-data.ts";
import { defaultSubnetForZone, findDefaultSubnet, type DefaultSubnet } from "../domain/network/default-vpc.ts";
import type { MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import { resolveLaunchOptions, type ResolvedLaunchOptions } from "../domain/precedence/resolve.ts";
import type { AccountScope } from "../domain/scope.ts";
import { assertTagKeysAllowedInMetadata } from "../domain/tags/metadata-tag-keys.ts";
import { assertTagLimit, assertUserTag, mergeTags } from "../domain/tags/tag-rules.ts";
import type { Estate } from "./estate.ts";
import type { ImageCatalogue } from "./image-catalogue.ts";
import { resolveInstanceProfile, type InstanceProfileRequest } from "./instance-profile.ts";
import type { LaunchTemplateReference, LaunchTemplateService, TemplateVersion } from "./launch-template-service.ts";
import type { AccountDefaultsRepository, IdSource } from "./ports.ts";

/**
 * The type EC2 documented as RunInstances' default ("Default: m1.small", API reference up to
 * 2016-11-15's early revisions); today's reference names no default, so we keep the documented one.
 */
export const DEFAULT_INSTANCE_TYPE = "m1.small";
/**
 * Instances one call may launch. EC2's limit is a per-account vCPU quota; a fixed cap keeps one
 * call from opening thousands of IMDS listeners. MinCount above it fails, MaxCount is clipped
 * ("launches the largest possible number of instances above the specified minimum count", EC2 API reference, RunInstances).
 */
export const MAX_INSTANCES_PER_LAUNCH = 100;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const ZONE_LETTERS = /^[a-f]$/;
/** EC2 tags every instance launched from a template with these (UG launch templates). */
export const TAG_LAUNCH_TEMPLATE_ID = "aws:ec2launchtemplate:id";
export const TAG_LAUNCH_TEMPLATE_VERSION = "aws:ec2launchtemplate:version";

export interface LaunchRequest {
  readonly imageId?: string | undefined;
  readonly instanceType?: string | undefined;
  readonly keyName?: string | undefined;
  /** As sent: base64. */
  readonly userData?: string | undefined;
  readonly minCount: number;
  readonly maxCount: number;
  readonly launchTemplate?: LaunchTemplateReference | undefined;
  readonly metadataOptions: MetadataOptionsInput;
  /** The `instance` tag specifications of the request, in order. */
  readonly tags: readonly Tag[];
  readonly iamInstanceProfile?: InstanceProfileRequest | undefined;
  readonly availabilityZone?: string | undefined;
  /** InstanceMarketOptions.MarketType: `spot` launches Spot Instances. */
  readonly marketType?: "spot" | undefined;
  /** SubnetId: a default subnet of the account and Region; it decides the zone. */
  readonly subnetId?: string | undefined;
}

export interface LaunchPlan {
  readonly accountId: string;
  readonly region: string;
  readonly launchTimeMs: number;
  readonly count: number;
  readonly imageId: string;
  readonly instanceType: string;
  readonly keyName: string | null;
  readonly userData: string | null;
  readonly roleName: string | null;
  readonly instanceProfileArn: string | null;
  readonly availabilityZone: string;
  readonly lifecycle: "on-demand" | "spot";
  readonly subnetId: string;
  readonly tags: readonly Tag[];
  readonly resolved: ResolvedLaunchOptions;
}

function invalidValue(message: string): DomainError {
  return new DomainError("InvalidParameterValue", message);
}

/** Our wording (docs/behaviour.md#error-wording) in EC2's "Value (x) for parameter y is invalid" form; the limit sentence is EC2's own. */
function launchCount(request: LaunchRequest): number {
  const { minCount, maxCount } = request;
  if (minCount < 1) throw invalidValue(`Value (${minCount}) for parameter minCount is invalid. Expected a value of at least 1.`);
  if (maxCount < 1) throw invalidValue(`Value (${maxCount}) for parameter maxCount is invalid. Expected a value of at least 1.`);
  if (minCount > maxCount) {
    throw invalidValue(`Value (${minCount}) for parameter minCount is invalid. Expected a value less than or equal to maxCount (${maxCount}).`);
  }
  if (minCount > MAX_INSTANCES_PER_LAUNCH) {
    throw new DomainError(
      "InstanceLimitExceeded",
      `You have requested more instances (${minCount}) than your current instance limit of ${MAX_INSTANCES_PER_LAUNCH} allows for the specified instance type. ` +
        "Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.",
    );
  }
  return Math.min(maxCount, MAX_INSTANCES_PER_LAUNCH);
}

function availabilityZoneFor(region: string, requested: string | undefined): string {
  if (requested === undefined) return `${region}a`;
  if (!requested.startsWith(region) || !ZONE_LETTERS.test(requested.slice(region.length))) {
    throw invalidValue(`Invalid availability zone: [${requested}]`);
  }
  return requested;
}

/**
 * The subnet of a launch: the named one (a default subnet of the account and Region, else
 * EC2's InvalidSubnetID.NotFound), or the zone's default subnet. A zone that contradicts the
 * named subnet is refused (docs/behaviour.md#default-vpc).
 */
function subnetFor(scope: AccountScope, subnetId: string | undefined, zone: string, zoneGiven: boolean): DefaultSubnet {
  if (subnetId === undefined) return defaultSubnetForZone(scope.accountId, scope.region, zone)!;
  const subnet = findDefaultSubnet(scope.accountId, scope.region, subnetId);
  if (subnet === undefined) throw new DomainError("InvalidSubnetID.NotFound", `The subnet ID '${subnetId}' does not exist`);
  if (zoneGiven && subnet.availabilityZone !== zone) {
    throw new DomainError("InvalidParameterCombination", `The subnet '${subnetId}' is in ${subnet.availabilityZone}, not in the requested Availability Zone ${zone}`);
  }
  return subnet;
}

function instanceTags(request: LaunchRequest, template: TemplateVersion | undefined): Tag[] {
  const fromTemplate = (template?.version.data.tagSpecifications ?? [])
    .filter((spec) => spec.resourceType === "instance")
    .flatMap((spec) => spec.tags);
  const user = mergeTags(fromTemplate, request.tags);
  for (const tag of user) assertUserTag(tag, "launch");
  assertTagLimit(user);
  if (template === undefined) return user;
  return [
    ...user,
    { key: TAG_LAUNCH_TEMPLATE_ID, value: template.record.templateId },
    { key: TAG_LAUNCH_TEMPLATE_VERSION, value: String(template.version.versionNumber) },
  ];
}

export interface LaunchPorts {
  readonly estate: Estate;
  readonly catalogue: ImageCatalogue;
  readonly templates: LaunchTemplateService;
  readonly defaults: AccountDefaultsRepository;
  readonly ids: IdSource;
  /** How long a launch reports its metadata options `pending` before `applied`. */
  readonly optionsApplyDelayMs: number;
}

/** RunInstances as a use case. */
export class LaunchService {
  constructor(private readonly ports: LaunchPorts) {}

  planLaunch(scope: AccountScope & { nowMs: number }, request: LaunchRequest): LaunchPlan {
    const count = launchCount(request);
    const template =
      request.launchTemplate === undefined ? undefined : this.ports.templates.findForLaunch(scope, request.launchTemplate);
    const data = template?.version.data ?? {};
    const imageId = request.imageId ?? data.imageId;
    if (imageId === undefined) throw new DomainError("MissingParameter", "The request must contain the parameter ImageId");
    const image = this.ports.catalogue.findLaunchable(scope, imageId);
    const instanceType = request.instanceType ?? data.instanceType ?? DEFAULT_INSTANCE_TYPE;
    if (!INSTANCE_TYPE.test(instanceType)) throw invalidValue(`Invalid value '${instanceType}' for InstanceType.`);
    const rawUserData = request.userData ?? data.userData;
    const userData = rawUserData === undefined ? null : parseUserData(rawUserData);
    const profile = resolveInstanceProfile(request.iamInstanceProfile ?? data.iamInstanceProfile);
    const keyName = request.keyName ?? data.keyName;
    const subnet = subnetFor(scope, request.subnetId, availabilityZoneFor(scope.region, request.availabilityZone), request.availabilityZone !== undefined);
    const availabilityZone = subnet.availabilityZone;
    const tags = instanceTags(request, template);
    const resolved = resolveLaunchOptions({
      launchParameters: request.metadataOptions,
      ...(template === undefined
        ? {}
        : {
            launchTemplate: {
              input: template.version.data.metadataOptions ?? {},
              templateId: template.record.templateId,
              templateName: template.record.templateName,
              version: template.version.versionNumber,
            },
          }),
      account: { ...this.ports.defaults.accountDefaults(scope.accountId, scope.region), region: scope.region },
      image: { imageId: image.imageId, imdsSupport: image.imdsSupport },
    });
    if (resolved.options.instanceMetadataTags === "enabled") assertTagKeysAllowedInMetadata(tags);
    return {
      accountId: scope.accountId,
      region: scope.region,
      launchTimeMs: scope.nowMs,
      count,
      imageId: image.imageId,
      instanceType,
      keyName: keyName === undefined || keyName === "" ? null : keyName,
      userData,
      roleName: profile?.name ?? null,
      instanceProfileArn: profile?.arn ?? null,
      availabilityZone,
      lifecycle: request.marketType === "spot" ? "spot" : "on-demand",
      subnetId: subnet.subnetId,
      tags,
      resolved,
    };
  }

  /** Launches `plan.count` instances in one reservation, launch index 0..n-1. */
  async launch(plan: LaunchPlan): Promise<Instance[]> {
    const reservationId = `r-${this.ports.ids.hex(17)}`;
    const specs = Array.from({ length: plan.count }, (_, launchIndex) => ({
      accountId: plan.accountId,
      region: plan.region,
      imageId: plan.imageId,
      instanceType: plan.instanceType,
      launchIndex,
      reservationId,
      launchTimeMs: plan.launchTimeMs,
      metadataOptions: plan.resolved.options,
      tags: plan.tags,
      userData: plan.userData,
      roleName: plan.roleName,
      keyName: plan.keyName,
      availabilityZone: plan.availabilityZone,
      lifecycle: plan.lifecycle,
      subnetId: plan.subnetId,
    }));
    return this.ports.estate.launchAll(
      specs,
      { optionSources: plan.resolved.sources, optionsPendingUntilMs: plan.launchTimeMs + this.ports.optionsApplyDelayMs },
      (record) => {
        const role = record.iamRole;
        // The factory derives the ARN from the name; an ARN given with a path keeps its path.
        if (role === null || plan.instanceProfileArn === null || role.instanceProfileArn === plan.instanceProfileArn) return record;
        return { ...record, iamRole: { ...role, instanceProfileArn: plan.instanceProfileArn } };
      },
    );
  }

}
