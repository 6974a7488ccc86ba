/**
 * The rules a launch template's parts obey before anything is stored: name and id shapes, tags
 * and their resource types, version descriptions, and how a new version inherits from a source.
 */
import { DomainError } from "../errors.ts";
import type { Tag } from "../instance/instance.ts";
import type { LaunchTemplateData } from "./launch-template.ts";
import { launchTemplateIdMalformed, launchTemplateNameMalformed } from "./launch-template-errors.ts";

/** `LaunchTemplateName` (EC2 API reference): min 3, max 128, pattern `[a-zA-Z0-9\(\)\.\-/_]+`. */
const LAUNCH_TEMPLATE_NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;
/** Launch templates arrived after EC2's move to 17-digit ids, so no 8-digit form exists (docs/behaviour.md#launch-templates). */
const LAUNCH_TEMPLATE_ID = /^lt-[0-9a-f]{17}$/;

export const LAUNCH_TEMPLATE_ID_PREFIX = "lt-";
export const LAUNCH_TEMPLATE_ID_HEX_DIGITS = 17;
/** `VersionDescription`: at most 255 characters (EC2 API reference). */
export const VERSION_DESCRIPTION_MAX = 255;
/** The resource type of the template itself in CreateLaunchTemplate `TagSpecification.N`. */
export const LAUNCH_TEMPLATE_RESOURCE_TYPE = "launch-template";
/**
 * `LaunchTemplateTagSpecificationRequest.ResourceType` (EC2 API reference): "When you create a launch template,
 * you can specify tags for the following resource types only: instance | volume |
 * network-interface | spot-instances-request."
 */
export const TEMPLATE_DATA_RESOURCE_TYPES: readonly string[] = Object.freeze([
  "instance",
  "volume",
  "network-interface",
  "spot-instances-request",
]);
/** EC2 tag restrictions (UG "Tag restrictions"): key 1..128, value 0..256, `aws:` reserved. */
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
const RESERVED_TAG_PREFIX = "aws:";

export function checkLaunchTemplateName(name: string): void {
  if (!LAUNCH_TEMPLATE_NAME.test(name)) throw launchTemplateNameMalformed();
}

export function isLaunchTemplateId(text: string): boolean {
  return LAUNCH_TEMPLATE_ID.test(text);
}

export function checkLaunchTemplateId(templateId: string): void {
  if (!isLaunchTemplateId(templateId)) throw launchTemplateIdMalformed(templateId);
}

/** Our wording, in the "Value (x) for parameter y is invalid." form EC2 uses for scalars (docs/behaviour.md#error-wording). */
export function checkVersionDescription(description: string): void {
  if (description.length > VERSION_DESCRIPTION_MAX) {
    throw new DomainError(
      "InvalidParameterValue",
      `Value for parameter versionDescription is invalid. Expecting at most ${VERSION_DESCRIPTION_MAX} characters.`,
    );
  }
}

/**
 * Our wordings (docs/behaviour.md#error-wording); EC2 rejects these on every tagging call, the sentences are the ones its
 * CreateTags answers are quoted with ("Tag key exceeds the maximum length of 128 characters").
 */
export function checkTags(tags: readonly Tag[]): void {
  for (const { key, value } of tags) {
    if (key.length === 0) throw new DomainError("InvalidParameterValue", "Tag key cannot be empty.");
    if (key.length > TAG_KEY_MAX) {
      throw new DomainError("InvalidParameterValue", `Tag key exceeds the maximum length of ${TAG_KEY_MAX} characters`);
    }
    if (value.length > TAG_VALUE_MAX) {
      throw new DomainError("InvalidParameterValue", `Tag value exceeds the maximum length of ${TAG_VALUE_MAX} characters`);
    }
    if (key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
      throw new DomainError("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
    }
  }
}

/** RunInstances' sentence for a TagSpecification naming a type the call cannot tag (docs/behaviour.md#error-wording). */
export function checkResourceType(resourceType: string, allowed: readonly string[]): void {
  if (!allowed.includes(resourceType)) {
    throw new DomainError("InvalidParameterValue", `'${resourceType}' is not a valid taggable resource type for this operation.`);
  }
}

/**
 * CreateLaunchTemplateVersion with SourceVersion: "the new version inherits the launch parameters
 * from the source version. If you specify additional launch parameters for the new version, they
 * overwrite any corresponding launch parameters inherited" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplateVersion.html).
 * We read "launch parameter" as
 * a top-level member of LaunchTemplateData: a member given in the request replaces the inherited
 * one WHOLE, so `MetadataOptions.HttpTokens=required` alone drops an inherited hop limit (our
 * reading, docs/behaviour.md#launch-templates: EC2 documents no deeper merge; a struct is one
 * parameter in the console's launch wizard too).
 */
export function inheritLaunchTemplateData(source: LaunchTemplateData, given: LaunchTemplateData): LaunchTemplateData {
  const merged: Record<string, unknown> = { ...source };
  for (const [member, value] of Object.entries(given)) {
    if (value !== undefined) merged[member] = value;
  }
  return merged as LaunchTemplateData;
}

export function isEmptyLaunchTemplateData(data: LaunchTemplateData): boolean {
  return Object.values(data).every((value) => value === undefined);
}
