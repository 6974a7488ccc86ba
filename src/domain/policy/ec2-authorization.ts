/**
 * What EC2 asks IAM for each call: the resources an action touches and the condition keys each
 * carries (docs/sources.md#service-authorization-reference-for-amazon-ec2). Pure: the caller reads the
 * store and passes plain data.
 *
 * - RunInstances is authorized once per resource: the new instance (`instance/*`, with the
 *   `ec2:Metadata*` keys), the AMI, and the launch template when one is used.
 * - Instance-resource keys describe the resource as it is (`ec2:MetadataHttpTokens` of an
 *   existing instance is its current value); `ec2:Attribute/<Name>` carries what the request sets.
 * - Every request carries the global keys of the caller and, for role credentials delivered by
 *   IMDS, `ec2:RoleDelivery` (1.0 over IMDSv1, 2.0 over IMDSv2) and `ec2:SourceInstanceARN`.
 */
import { METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES, type MetadataOptionField } from "../options/metadata-option-names.ts";
import type { ContextValue } from "./condition-operators.ts";
import type { AuthorizationRequest } from "./evaluate-policy.ts";

export const EC2_SERVICE_PREFIX = "ec2";

export interface Principal {
  /** The caller as error messages name it (for a role session, the assumed-role ARN). */
  readonly arn: string;
  /** aws:PrincipalArn (for a role session, the role's ARN); defaults to `arn`. */
  readonly principalArn?: string;
  readonly accountId: string;
  /** AWS's unique id form (AIDA…, AROA…:session); here the access key, or "anonymous". */
  readonly id: string;
  /** ec2:RoleDelivery for credentials issued by IMDS. */
  readonly roleDelivery?: "1.0" | "2.0";
  readonly sourceInstanceArn?: string;
}

export interface CallScope {
  readonly principal: Principal;
  readonly region: string;
  /** The account whose resources the call touches (the caller's). */
  readonly accountId: string;
  readonly nowMs: number;
}

type Context = Record<string, ContextValue>;

export function instanceArn(region: string, accountId: string, instanceId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`;
}

export function imageArn(region: string, imageId: string): string {
  // AMIs have no account in their ARN (SAR: arn:${Partition}:ec2:${Region}::image/${ImageId}).
  return `arn:aws:ec2:${region}::image/${imageId}`;
}

export function launchTemplateArn(region: string, accountId: string, templateId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:launch-template/${templateId}`;
}

/** Keys IAM adds to every request (IAM "AWS global condition context keys") and ec2:Region. */
export function globalContext(scope: CallScope): Context {
  const { principal } = scope;
  const context: Context = {
    "aws:PrincipalArn": principal.principalArn ?? principal.arn,
    "aws:PrincipalAccount": principal.accountId,
    "aws:RequestedRegion": scope.region,
    "aws:CurrentTime": new Date(scope.nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
    "aws:EpochTime": String(Math.floor(scope.nowMs / 1000)),
    // The emulator listens on plain HTTP.
    "aws:SecureTransport": "false",
    "ec2:Region": scope.region,
  };
  if (principal.roleDelivery !== undefined) context["ec2:RoleDelivery"] = principal.roleDelivery;
  if (principal.sourceInstanceArn !== undefined) context["ec2:SourceInstanceARN"] = principal.sourceInstanceArn;
  return context;
}

/** Option values a request or resource carries; only options with a condition key become keys. */
export type MetadataKeyValues = { readonly [F in MetadataOptionField]?: string | number | undefined };

function metadataKeys(values: MetadataKeyValues): Context {
  const out: Context = {};
  for (const field of METADATA_OPTION_FIELDS) {
    const key = METADATA_OPTION_NAMES[field].conditionKey;
    const value = values[field];
    if (key !== null && value !== undefined) out[key] = String(value);
  }
  return out;
}

export interface TagLike {
  readonly key: string;
  readonly value: string;
}

/** `aws:RequestTag/<key>` and `aws:TagKeys` for the tags a request creates (aws: tags are EC2's own). */
function requestTagKeys(tags: readonly TagLike[]): Context {
  const user = tags.filter((t) => !t.key.toLowerCase().startsWith("aws:"));
  const out: Context = {};
  for (const tag of user) out[`aws:RequestTag/${tag.key}`] = tag.value;
  if (user.length > 0) out["aws:TagKeys"] = user.map((t) => t.key);
  return out;
}

/** `ec2:ResourceTag/<key>` (and `aws:ResourceTag/<key>`) of an existing resource. */
function resourceTagKeys(tags: readonly TagLike[]): Context {
  const out: Context = {};
  for (const tag of tags) {
    out[`ec2:ResourceTag/${tag.key}`] = tag.value;
    out[`aws:ResourceTag/${tag.key}`] = tag.value;
  }
  return out;
}

/** `ec2:Attribute/<Name>` for each attribute a request sets, and `ec2:Attribute` naming them. */
function attributeKeys(attributes: Readonly<Record<string, string>>): Context {
  const names = Object.keys(attributes);
  const out: Context = {};
  for (const [name, value] of Object.entries(attributes)) out[`ec2:Attribute/${name}`] = value;
  // Single-valued when one attribute is set (the 2023 example policies: StringEquals ec2:Attribute HttpTokens).
  if (names.length === 1) out["ec2:Attribute"] = names[0]!;
  else if (names.length > 1) out["ec2:Attribute"] = names;
  return out;
}

function request(scope: CallScope, action: string, resource: string, extra: Context): AuthorizationRequest {
  return { action: `${EC2_SERVICE_PREFIX}:${action}`, resource, context: { ...globalContext(scope), ...extra } };
}

export interface ImageFacts {
  readonly imageId: string;
  readonly ownerId: string;
  /** `amazon` for Amazon's public images, as ec2:Owner reports them. */
  readonly ownerAlias?: string | undefined;
  readonly isPublic: boolean;
  readonly tags: readonly TagLike[];
}

function imageKeys(image: ImageFacts): Context {
  return {
    "ec2:ImageID": image.imageId,
    "ec2:ImageType": "machine",
    "ec2:Owner": image.ownerAlias ?? image.ownerId,
    "ec2:Public": String(image.isPublic),
    ...resourceTagKeys(image.tags),
  };
}

export interface RunInstancesFacts {
  readonly image: ImageFacts;
  readonly instanceType: string;
  readonly instanceProfileArn: string | null;
  readonly launchTemplateId: string | undefined;
  /** The metadata option values the condition keys carry (requested or resolved: the caller decides). */
  readonly metadata: MetadataKeyValues;
  readonly tags: readonly TagLike[];
}

export function runInstancesRequests(scope: CallScope, facts: RunInstancesFacts): AuthorizationRequest[] {
  const templateArn = facts.launchTemplateId === undefined ? undefined : launchTemplateArn(scope.region, scope.accountId, facts.launchTemplateId);
  const shared: Context = templateArn === undefined ? {} : { "ec2:LaunchTemplate": templateArn };
  const instance: Context = {
    ...shared,
    ...metadataKeys(facts.metadata),
    "ec2:InstanceType": facts.instanceType,
    ...(facts.instanceProfileArn === null ? {} : { "ec2:InstanceProfile": facts.instanceProfileArn }),
    ...requestTagKeys(facts.tags),
  };
  const requests = [
    request(scope, "RunInstances", `arn:aws:ec2:${scope.region}:${scope.accountId}:instance/*`, instance),
    request(scope, "RunInstances", imageArn(scope.region, facts.image.imageId), { ...shared, ...imageKeys(facts.image) }),
  ];
  if (templateArn !== undefined) requests.push(request(scope, "RunInstances", templateArn, { ...shared, "ec2:IsLaunchTemplateResource": "true" }));
  return requests;
}

export interface ExistingInstanceFacts {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly instanceProfileArn: string | null;
  readonly metadata: MetadataKeyValues;
  readonly tags: readonly TagLike[];
}

function instanceKeys(instance: ExistingInstanceFacts): Context {
  return {
    ...metadataKeys(instance.metadata),
    "ec2:InstanceID": instance.instanceId,
    "ec2:InstanceType": instance.instanceType,
    ...(instance.instanceProfileArn === null ? {} : { "ec2:InstanceProfile": instance.instanceProfileArn }),
    ...resourceTagKeys(instance.tags),
  };
}

/** `attributes`: the wire names and values the request sets (HttpTokens=optional, ...). */
export function modifyInstanceMetadataOptionsRequests(
  scope: CallScope,
  instance: ExistingInstanceFacts,
  attributes: Readonly<Record<string, string>>,
): AuthorizationRequest[] {
  const arn = instanceArn(scope.region, scope.accountId, instance.instanceId);
  return [request(scope, "ModifyInstanceMetadataOptions", arn, { ...instanceKeys(instance), ...attributeKeys(attributes) })];
}

/** Account-level: no resource-level permissions, so the resource is `*`. */
export function modifyInstanceMetadataDefaultsRequests(scope: CallScope, attributes: Readonly<Record<string, string>>): AuthorizationRequest[] {
  return [request(scope, "ModifyInstanceMetadataDefaults", "*", attributeKeys(attributes))];
}

export interface LaunchTemplateFacts {
  /** Undefined when the template is being created. */
  readonly templateId: string | undefined;
  readonly metadata: MetadataKeyValues;
  /** Tags the request gives the template (create) or the template has (new version). */
  readonly requestTags: readonly TagLike[];
  readonly resourceTags: readonly TagLike[];
}

export function launchTemplateRequests(scope: CallScope, action: "CreateLaunchTemplate" | "CreateLaunchTemplateVersion", facts: LaunchTemplateFacts): AuthorizationRequest[] {
  const arn = launchTemplateArn(scope.region, scope.accountId, facts.templateId ?? "*");
  return [
    request(scope, action, arn, {
      ...metadataKeys(facts.metadata),
      ...requestTagKeys(facts.requestTags),
      ...resourceTagKeys(facts.resourceTags),
    }),
  ];
}

export type ImageAttributeFacts =
  | { readonly attribute: "ImdsSupport" | "Description"; readonly value: string }
  | { readonly attribute: "LaunchPermission"; readonly add: readonly PermissionFacts[]; readonly remove: readonly PermissionFacts[] };

export interface PermissionFacts {
  readonly userId?: string | undefined;
  readonly group?: string | undefined;
}

export function modifyImageAttributeRequests(scope: CallScope, image: ImageFacts, change: ImageAttributeFacts): AuthorizationRequest[] {
  const keys: Context = { ...imageKeys(image), "ec2:Attribute": change.attribute };
  if (change.attribute === "LaunchPermission") {
    const list = (items: readonly PermissionFacts[], pick: (p: PermissionFacts) => string | undefined) =>
      items.map(pick).filter((v): v is string => v !== undefined);
    const lists: [string, string[]][] = [
      ["ec2:Add/userId", list(change.add, (p) => p.userId)],
      ["ec2:Add/group", list(change.add, (p) => p.group)],
      ["ec2:Remove/userId", list(change.remove, (p) => p.userId)],
      ["ec2:Remove/group", list(change.remove, (p) => p.group)],
    ];
    for (const [key, values] of lists) if (values.length > 0) keys[key] = values;
  } else {
    keys[`ec2:Attribute/${change.attribute}`] = change.value;
  }
  return [request(scope, "ModifyImageAttribute", imageArn(scope.region, image.imageId), keys)];
}

/** Any other EC2 action: its instances when it names some (Start/Stop/Terminate), else `*`. */
export function genericRequests(scope: CallScope, action: string, instanceIds: readonly string[]): AuthorizationRequest[] {
  if (instanceIds.length === 0) return [request(scope, action, "*", {})];
  return instanceIds.map((id) => request(scope, action, instanceArn(scope.region, scope.accountId, id), {}));
}
