/**
 * Request parsing shared by the launch template actions: which template a call names, the
 * `LaunchTemplateData.*` structure, tag specifications, filters and MaxResults. Wire names are the
 * ones botocore's serializer produces from the 2016-11-15 model (e.g.
 * `LaunchTemplateData.TagSpecification.1.Tag.1.Key`, `LaunchTemplateVersion.1`, `SetDefaultVersion`).
 */
import { DomainError } from "../../domain/errors.ts";
import type { Tag } from "../../domain/instance/instance.ts";
import type { LaunchTemplateData } from "../../domain/launch-templates/launch-template.ts";
import { invalidFilter, type Filter } from "../../domain/launch-templates/launch-template-filters.ts";
import { checkFilterLimit } from "../filters.ts";
import {
  checkLaunchTemplateId,
  checkResourceType,
  checkTags,
} from "../../domain/launch-templates/launch-template-rules.ts";
import { METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../../domain/options/metadata-option-names.ts";
import { parseMetadataOptionsInput } from "../../domain/options/validate.ts";
import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { ErrorCode, MEMBER_NAME, MEMBER_VALUE, PARAM_FILTER } from "../constants.ts";
import { getInteger, getString, getStructList, getTagSpecifications, type QueryParams } from "../query-params.ts";

export const PARAM_LAUNCH_TEMPLATE_ID = "LaunchTemplateId";
export const PARAM_LAUNCH_TEMPLATE_NAME = "LaunchTemplateName";
export const PARAM_LAUNCH_TEMPLATE_DATA = "LaunchTemplateData";
export const PARAM_LAUNCH_TEMPLATE_VERSION = "LaunchTemplateVersion";
export const PARAM_VERSION_DESCRIPTION = "VersionDescription";
export const PARAM_SOURCE_VERSION = "SourceVersion";
export const PARAM_SET_DEFAULT_VERSION = "SetDefaultVersion";
export const PARAM_MIN_VERSION = "MinVersion";
export const PARAM_MAX_VERSION = "MaxVersion";
export const PARAM_MAX_RESULTS = "MaxResults";
export const PARAM_NEXT_TOKEN = "NextToken";

const DATA_SCALARS: ReadonlyMap<string, "imageId" | "instanceType" | "keyName" | "userData"> = new Map([
  ["ImageId", "imageId"],
  ["InstanceType", "instanceType"],
  ["KeyName", "keyName"],
  ["UserData", "userData"],
] as const);
const METADATA_OPTIONS = "MetadataOptions";
const METADATA_MEMBERS: ReadonlySet<string> = new Set(METADATA_OPTION_FIELDS.map((f) => METADATA_OPTION_NAMES[f].param));
const IAM_INSTANCE_PROFILE = "IamInstanceProfile";
const IAM_MEMBERS = new Set(["Arn", "Name"]);
const TAG_SPECIFICATION = "TagSpecification";
const TAG_SPECIFICATION_MEMBER = /^TagSpecification\.[1-9][0-9]*\.(ResourceType|Tag\.[1-9][0-9]*\.(Key|Value))$/;
/**
 * The other members of `RequestLaunchTemplateData` (EC2 API reference), by their query names. They are valid
 * EC2 input that says nothing about instance metadata, so they are accepted and NOT stored (and
 * therefore not echoed by DescribeLaunchTemplateVersions); a name outside the model is refused.
 */
const NOT_EMULATED_MEMBERS = new Set([
  "KernelId", "EbsOptimized", "BlockDeviceMapping", "NetworkInterface", "Monitoring", "Placement", "RamDiskId",
  "DisableApiTermination", "InstanceInitiatedShutdownBehavior", "ElasticGpuSpecification", "ElasticInferenceAccelerator",
  "SecurityGroupId", "SecurityGroup", "InstanceMarketOptions", "CreditSpecification", "CpuOptions",
  "CapacityReservationSpecification", "LicenseSpecification", "HibernationOptions", "EnclaveOptions",
  "InstanceRequirements", "PrivateDnsNameOptions", "MaintenanceOptions", "DisableApiStop", "Operator",
  "NetworkPerformanceOptions", "SecondaryInterface",
]);

export function missingParameter(name: string): DomainError {
  return new DomainError(ErrorCode.MissingParameter, `The request must contain the parameter ${name}`);
}

function unknownParameter(key: string): DomainError {
  return new DomainError(ErrorCode.UnknownParameter, `The parameter ${key.slice(0, 256)} is not recognized.`);
}

/**
 * Exactly one of LaunchTemplateId / LaunchTemplateName. Both: [AWS] "Either provide launch template
 * ID or launch template name to modify the template." (ModifyLaunchTemplate; `purpose` adapts it,
 * ours for the other calls). Neither: moto's MissingParameter sentence (docs/behaviour.md#launch-templates).
 */
export function parseTemplateRef(params: QueryParams, purpose: string): LaunchTemplateRef {
  const ref = parseOptionalTemplateRef(params, purpose);
  if (ref === undefined) throw missingParameter("launch template ID or launch template name");
  return ref;
}

export function parseOptionalTemplateRef(params: QueryParams, purpose: string): LaunchTemplateRef | undefined {
  const templateId = getString(params, PARAM_LAUNCH_TEMPLATE_ID);
  const templateName = getString(params, PARAM_LAUNCH_TEMPLATE_NAME);
  if (templateId !== undefined && templateName !== undefined) {
    throw new DomainError(ErrorCode.InvalidParameterCombination, `Either provide launch template ID or launch template name to ${purpose}.`);
  }
  if (templateId !== undefined) {
    checkLaunchTemplateId(templateId);
    return { templateId };
  }
  return templateName === undefined ? undefined : { templateName };
}

function toTags(tags: readonly { Key: string; Value: string }[]): Tag[] {
  const out = tags.map((t) => ({ key: t.Key, value: t.Value }));
  checkTags(out);
  return out;
}

/** `prefix.N.ResourceType` + `prefix.N.Tag.M.*`, each spec's type checked against `allowed`. */
export function parseTagSpecifications(params: QueryParams, prefix: string, allowed: readonly string[]): { resourceType: string; tags: Tag[] }[] {
  return getTagSpecifications(params, prefix).map((spec, index) => {
    if (spec.ResourceType === undefined) throw missingParameter(`${prefix}.${index + 1}.ResourceType`);
    checkResourceType(spec.ResourceType, allowed);
    return { resourceType: spec.ResourceType, tags: toTags(spec.Tags) };
  });
}

/**
 * `LaunchTemplateData.*` -> typed data holding only the members given. A request without any
 * member is [AWS] "No launch template data was provided. Launch template data is required to
 * create a launch template." (MissingParameter, quoted from a CloudFormation failure).
 */
export function parseLaunchTemplateData(params: QueryParams, allowedTagTypes: readonly string[]): LaunchTemplateData {
  const head = `${PARAM_LAUNCH_TEMPLATE_DATA}.`;
  const data: { -readonly [K in keyof LaunchTemplateData]: LaunchTemplateData[K] } = {};
  const metadata: Record<string, string> = {};
  const iam: { name?: string; arn?: string } = {};
  let given = false;
  let hasMetadata = false;
  let hasIam = false;
  let hasTagSpecs = false;
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    given = true;
    const member = key.slice(head.length);
    const [top = "", sub, ...deeper] = member.split(".");
    const scalar = DATA_SCALARS.get(member);
    if (scalar !== undefined) data[scalar] = value;
    else if (top === METADATA_OPTIONS && sub !== undefined && deeper.length === 0 && METADATA_MEMBERS.has(sub)) {
      metadata[sub] = value;
      hasMetadata = true;
    } else if (top === IAM_INSTANCE_PROFILE && sub !== undefined && deeper.length === 0 && IAM_MEMBERS.has(sub)) {
      if (sub === "Arn") iam.arn = value;
      else iam.name = value;
      hasIam = true;
    } else if (top === TAG_SPECIFICATION && TAG_SPECIFICATION_MEMBER.test(member)) hasTagSpecs = true;
    else if (!NOT_EMULATED_MEMBERS.has(top)) throw unknownParameter(key);
  }
  if (!given) {
    throw new DomainError(
      ErrorCode.MissingParameter,
      "No launch template data was provided. Launch template data is required to create a launch template.",
    );
  }
  if (hasMetadata) data.metadataOptions = parseMetadataOptionsInput(metadata);
  if (hasIam) data.iamInstanceProfile = iam;
  if (hasTagSpecs) data.tagSpecifications = parseTagSpecifications(params, `${PARAM_LAUNCH_TEMPLATE_DATA}.${TAG_SPECIFICATION}`, allowedTagTypes);
  return data;
}

/** `Filter.N.Name` + `Filter.N.Value.M`; a filter without a name is EC2's `The filter 'null' is invalid`. */
export function parseFilters(params: QueryParams): Filter[] {
  const filters = getStructList(params, PARAM_FILTER).map((raw) => {
    const name = raw[MEMBER_NAME];
    if (typeof name !== "string") throw invalidFilter("null");
    const values = raw[MEMBER_VALUE];
    return { name, values: values === undefined ? [] : typeof values === "string" ? [values] : values };
  });
  return checkFilterLimit(filters);
}

/** "This value can be between 1 and 200." (EC2 API reference); our sentence, EC2's "Value (x) for parameter y" form. */
export function parseMaxResults(params: QueryParams): number | undefined {
  const value = getInteger(params, PARAM_MAX_RESULTS);
  if (value !== undefined && (value < 1 || value > 200)) {
    throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${value}) for parameter maxResults is invalid. Expecting a value between 1 and 200.`);
  }
  return value;
}
