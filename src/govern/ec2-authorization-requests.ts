/**
 * From a parsed EC2 call to the authorization requests IAM would evaluate. Reads the raw form
 * fields (condition keys carry what the request said, in its wire spelling), the parsed input
 * where it holds decisions (RunInstances' resolved options) and the application for the resources.
 */
import { AMAZON_OWNER_ALIAS, AMAZON_OWNER_ID } from "../domain/images/image.ts";
import type { ImageAttributeChange } from "../domain/images/image-attributes.ts";
import {
  genericRequests,
  launchTemplateRequests,
  modifyImageAttributeRequests,
  modifyInstanceMetadataDefaultsRequests,
  modifyInstanceMetadataOptionsRequests,
  runInstancesRequests,
  type CallScope,
  type ImageFacts,
  type MetadataKeyValues,
} from "../domain/policy/ec2-authorization.ts";
import type { AuthorizationRequest } from "../domain/policy/evaluate-policy.ts";
import { ACCOUNT_LEVEL_FIELDS, METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../domain/options/metadata-option-names.ts";
import { PARAM_HTTP_TOKENS_ENFORCED } from "../domain/options/validate.ts";
import type { ActionContext } from "../ec2/action.ts";
import { getList, getString, type QueryParams } from "../ec2/query-params.ts";
import type { LaunchPlan } from "../app/launch-service.ts";
import { TAG_LAUNCH_TEMPLATE_ID } from "../app/launch-service.ts";
import type { ImageCatalogue } from "../app/image-catalogue.ts";
import type { LaunchTemplateService } from "../app/launch-template-service.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { ConditionKeyValues } from "./governance-config.ts";

const METADATA_WIRE = METADATA_OPTION_FIELDS.map((f) => METADATA_OPTION_NAMES[f].param);
const DEFAULTS_WIRE = [...ACCOUNT_LEVEL_FIELDS.map((f) => METADATA_OPTION_NAMES[f].param), PARAM_HTTP_TOKENS_ENFORCED];
/** Levels that count as "instance configuration at launch", precedence 1 (docs/behaviour.md#order-of-precedence-at-launch). */
const REQUESTED_LEVELS = new Set(["launch-parameters", "launch-template"]);

export interface RequestDeps {
  readonly catalogue: ImageCatalogue;
  readonly templates: LaunchTemplateService;
  readonly instance: (instanceId: string) => Instance | undefined;
  readonly conditionKeyValues: () => ConditionKeyValues;
}

function wireAttributes(params: QueryParams, prefix: string, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = getString(params, `${prefix}${name}`);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function metadataFromWire(attributes: Readonly<Record<string, string>>): MetadataKeyValues {
  return Object.fromEntries(METADATA_OPTION_FIELDS.map((f) => [f, attributes[METADATA_OPTION_NAMES[f].param]]));
}

function imageFacts(catalogue: ImageCatalogue, imageId: string): ImageFacts {
  const image = catalogue.find(imageId);
  if (image === undefined) return { imageId, ownerId: "", isPublic: false, tags: [] };
  return {
    imageId,
    ownerId: image.ownerId,
    ownerAlias: image.ownerId === AMAZON_OWNER_ID ? AMAZON_OWNER_ALIAS : undefined,
    isPublic: image.isPublic,
    tags: image.tags,
  };
}

/** Requested: values given at launch (request or template); resolved: after the whole precedence. */
function launchMetadata(plan: LaunchPlan, mode: ConditionKeyValues): MetadataKeyValues {
  const { options, sources } = plan.resolved;
  const pick = <K extends keyof MetadataKeyValues & keyof typeof options>(field: K) =>
    mode === "resolved" || REQUESTED_LEVELS.has(sources[field].level) ? options[field] : undefined;
  return Object.fromEntries(METADATA_OPTION_FIELDS.map((f) => [f, pick(f)]));
}

function runInstances(scope: CallScope, plan: LaunchPlan, deps: RequestDeps): AuthorizationRequest[] {
  return runInstancesRequests(scope, {
    image: imageFacts(deps.catalogue, plan.imageId),
    instanceType: plan.instanceType,
    instanceProfileArn: plan.instanceProfileArn,
    launchTemplateId: plan.tags.find((t) => t.key === TAG_LAUNCH_TEMPLATE_ID)?.value,
    metadata: launchMetadata(plan, deps.conditionKeyValues()),
    tags: plan.tags,
  });
}

function modifyInstanceMetadataOptions(scope: CallScope, planned: Instance, ctx: ActionContext, deps: RequestDeps): AuthorizationRequest[] {
  // The instance as it is now: `planned` already carries the change.
  const current = deps.instance(planned.record.instanceId) ?? planned;
  const { record } = current;
  return modifyInstanceMetadataOptionsRequests(
    scope,
    {
      instanceId: record.instanceId,
      instanceType: record.instanceType,
      instanceProfileArn: record.iamRole?.instanceProfileArn ?? null,
      metadata: record.metadataOptions,
      tags: record.tags,
    },
    wireAttributes(ctx.params, "", METADATA_WIRE),
  );
}

function launchTemplate(scope: CallScope, action: "CreateLaunchTemplate" | "CreateLaunchTemplateVersion", input: unknown, ctx: ActionContext, deps: RequestDeps): AuthorizationRequest[] {
  const metadata = metadataFromWire(wireAttributes(ctx.params, "LaunchTemplateData.MetadataOptions.", METADATA_WIRE));
  if (action === "CreateLaunchTemplate") {
    const tags = (input as { tags?: readonly { key: string; value: string }[] }).tags ?? [];
    return launchTemplateRequests(scope, action, { templateId: undefined, metadata, requestTags: tags, resourceTags: [] });
  }
  const id = getString(ctx.params, "LaunchTemplateId");
  const name = getString(ctx.params, "LaunchTemplateName");
  const template = id !== undefined ? deps.templates.find(scope, { templateId: id }) : name !== undefined ? deps.templates.find(scope, { templateName: name }) : undefined;
  return launchTemplateRequests(scope, action, { templateId: template?.templateId ?? id ?? "*", metadata, requestTags: [], resourceTags: template?.tags ?? [] });
}

function modifyImageAttribute(scope: CallScope, input: { imageId: string; change: ImageAttributeChange }, deps: RequestDeps): AuthorizationRequest[] {
  const image = imageFacts(deps.catalogue, input.imageId);
  const { change } = input;
  if (change.kind === "launchPermission") {
    const facts = (list: typeof change.add) => list.map((p) => ("userId" in p ? { userId: p.userId } : { group: p.group }));
    return modifyImageAttributeRequests(scope, image, { attribute: "LaunchPermission", add: facts(change.add), remove: facts(change.remove) });
  }
  return modifyImageAttributeRequests(scope, image, { attribute: change.kind === "imdsSupport" ? "ImdsSupport" : "Description", value: change.value });
}

/** Every EC2 call is authorized; the five of the issue with their own resources and keys. */
export function authorizationRequestsFor(action: string, input: unknown, ctx: ActionContext, scope: CallScope, deps: RequestDeps): AuthorizationRequest[] {
  switch (action) {
    case "RunInstances":
      return runInstances(scope, input as LaunchPlan, deps);
    case "ModifyInstanceMetadataOptions":
      return modifyInstanceMetadataOptions(scope, input as Instance, ctx, deps);
    case "ModifyInstanceMetadataDefaults":
      return modifyInstanceMetadataDefaultsRequests(scope, wireAttributes(ctx.params, "", DEFAULTS_WIRE));
    case "CreateLaunchTemplate":
    case "CreateLaunchTemplateVersion":
      return launchTemplate(scope, action, input, ctx, deps);
    case "ModifyImageAttribute":
      return modifyImageAttribute(scope, input as { imageId: string; change: ImageAttributeChange }, deps);
    default:
      return genericRequests(scope, action, getList(ctx.params, "InstanceId"));
  }
}
