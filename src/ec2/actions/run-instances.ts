import { DomainError } from "../../domain/errors.ts";
import type { Tag } from "../../domain/instance/instance.ts";
import { parseMetadataOptionsInput } from "../../domain/options/validate.ts";
import type { Application } from "../../app/application.ts";
import type { LaunchPlan } from "../../app/launch-service.ts";
import {
  IDEMPOTENT_INSTANCE_TERMINATED,
  IDEMPOTENT_INSTANCE_TERMINATED_MESSAGE,
  replayedResources,
  type ClientTokenKey,
} from "../../domain/idempotency/client-token.ts";
import { defineAction, type ActionContext } from "../action.ts";
import { getClientToken, requestFingerprint } from "../client-token-params.ts";
import { ErrorCode } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getInteger, getString, getTagSpecifications, type QueryParams, type TagSpecification } from "../query-params.ts";
import { renderReservation } from "../render/instance-xml.ts";
import { getRawMetadataOptions } from "./metadata-options-params.ts";

const PARAM = {
  imageId: "ImageId",
  instanceType: "InstanceType",
  keyName: "KeyName",
  userData: "UserData",
  minCount: "MinCount",
  maxCount: "MaxCount",
  templateId: "LaunchTemplate.LaunchTemplateId",
  templateName: "LaunchTemplate.LaunchTemplateName",
  templateVersion: "LaunchTemplate.Version",
  profileName: "IamInstanceProfile.Name",
  profileArn: "IamInstanceProfile.Arn",
  availabilityZone: "Placement.AvailabilityZone",
  marketType: "InstanceMarketOptions.MarketType",
  subnetId: "SubnetId",
  metadataOptionsPrefix: "MetadataOptions.",
} as const;

/** RunInstances `TagSpecifications` (EC2 API reference): "Instances, Volumes, Spot Instance requests, Network interfaces". */
const LAUNCH_TAG_RESOURCE_TYPES = new Set(["instance", "volume", "network-interface", "spot-instances-request"]);
const INSTANCE_RESOURCE_TYPE = "instance";

function requiredInteger(params: QueryParams, name: string): number {
  const value = getInteger(params, name);
  if (value === undefined) throw missingParameter(name);
  return value;
}

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.InvalidParameterValue, message);
}

/**
 * The instance tags of `TagSpecification.N`. Only instances are kept by the emulator; tags for the
 * other launch-time resources are checked and dropped. Wording ours except the resource-type one
 * (docs/behaviour.md#error-wording).
 */
function instanceTagsOf(specs: readonly TagSpecification[]): Tag[] {
  const seen = new Set<string>();
  const tags: Tag[] = [];
  for (const spec of specs) {
    const type = spec.ResourceType;
    if (type === undefined || type === "") throw invalid("Tag specification resource type must have a value");
    if (!LAUNCH_TAG_RESOURCE_TYPES.has(type)) throw invalid(`'${type}' is not a valid taggable resource type for this operation.`);
    if (seen.has(type)) throw invalid("The same resource type may not be specified more than once in tag specifications");
    seen.add(type);
    if (spec.Tags.length === 0) throw invalid("Tag specification must have at least one tag");
    if (type === INSTANCE_RESOURCE_TYPE) tags.push(...spec.Tags.map((t) => ({ key: t.Key, value: t.Value })));
  }
  return tags;
}

/**
 * `InstanceMarketOptions.MarketType` (MarketType enum of the EC2 API reference: spot,
 * capacity-block). Capacity Blocks are not modelled: refused rather than launched as on-demand.
 */
function marketTypeOf(params: QueryParams): "spot" | undefined {
  const value = getString(params, PARAM.marketType);
  if (value === undefined || value === "spot") return value;
  if (value === "capacity-block") throw new DomainError(ErrorCode.UnsupportedOperation, "Capacity Blocks are not supported by imds-lab.");
  throw invalid(`Value (${value}) for parameter InstanceMarketOptions.MarketType is invalid. Expected: 'spot' or 'capacity-block'.`);
}

/** Absent unless named, so that a launch template's profile applies. */
function instanceProfileOf(params: QueryParams): { name?: string; arn?: string } | undefined {
  const name = getString(params, PARAM.profileName);
  const arn = getString(params, PARAM.profileArn);
  return name === undefined && arn === undefined ? undefined : { name, arn };
}

/**
 * RunInstances. Everything is resolved and checked in `parse` (template, image, options with
 * their precedence, tags, enforcement), so a refused launch writes nothing and an authorizer sees
 * the options the instances would get. Unsupported members (networking, block devices, ...) are
 * accepted and ignored.
 */
/** A launch plan, and when the request carries a ClientToken, what the token already did. */
type RunInstancesInput = LaunchPlan & { readonly idempotency?: { readonly key: ClientTokenKey; readonly fingerprint: string; readonly replay: readonly string[] | undefined } };

/** The instances a repeated token names; a terminated one cannot be answered again (EC2's IdempotentInstanceTerminated). */
function replayOf(ctx: ActionContext, services: Application, key: ClientTokenKey, fingerprint: string): readonly string[] | undefined {
  const replay = replayedResources(services.clientTokens.get(key), fingerprint);
  if (replay !== undefined && services.instances.find(ctx, replay).some((i) => i.record.state === "terminated")) {
    throw new DomainError(IDEMPOTENT_INSTANCE_TERMINATED, IDEMPOTENT_INSTANCE_TERMINATED_MESSAGE);
  }
  return replay;
}

export const runInstancesAction = defineAction<RunInstancesInput>({
  name: "RunInstances",
  parse(ctx, services) {
    const { params } = ctx;
    const templateId = getString(params, PARAM.templateId);
    const templateName = getString(params, PARAM.templateName);
    const templateVersion = getString(params, PARAM.templateVersion);
    const usesTemplate = templateId !== undefined || templateName !== undefined || templateVersion !== undefined;
    const token = getClientToken(params);
    const key: ClientTokenKey | undefined = token === undefined ? undefined : { accountId: ctx.accountId, region: ctx.region, action: "RunInstances", token };
    const fingerprint = requestFingerprint(params);
    // A mismatch is answered before anything else; a faithful retry is still checked and authorized like the first call.
    const replay = key === undefined ? undefined : replayOf(ctx, services, key, fingerprint);
    const plan = services.launches.planLaunch(ctx, {
      minCount: requiredInteger(params, PARAM.minCount),
      maxCount: requiredInteger(params, PARAM.maxCount),
      imageId: getString(params, PARAM.imageId),
      instanceType: getString(params, PARAM.instanceType),
      keyName: getString(params, PARAM.keyName),
      userData: getString(params, PARAM.userData),
      launchTemplate: usesTemplate ? { id: templateId, name: templateName, version: templateVersion } : undefined,
      metadataOptions: parseMetadataOptionsInput(getRawMetadataOptions(params, PARAM.metadataOptionsPrefix)),
      tags: instanceTagsOf(getTagSpecifications(params)),
      iamInstanceProfile: instanceProfileOf(params),
      availabilityZone: getString(params, PARAM.availabilityZone),
      marketType: marketTypeOf(params),
      subnetId: getString(params, PARAM.subnetId),
    });
    return key === undefined ? plan : { ...plan, idempotency: { key, fingerprint, replay } };
  },
  async execute(plan, ctx, services) {
    const { idempotency } = plan;
    const docs = idempotency?.replay !== undefined ? services.instances.find(ctx, idempotency.replay) : await services.launches.launch(plan);
    if (idempotency !== undefined && idempotency.replay === undefined) {
      services.clientTokens.put(idempotency.key, { fingerprint: idempotency.fingerprint, resourceIds: docs.map((d) => d.record.instanceId) });
    }
    const reservationId = docs[0]!.record.reservationId;
    // A new instance is reported pending, and so are its metadata options (docs/behaviour.md#instances-and-tags).
    return renderReservation(
      reservationId,
      ctx.accountId,
      docs.map((d) => ({ record: d.record, state: "pending", optionsState: "pending" })),
    );
  },
});
