/**
 * DescribeImageAttribute / ModifyImageAttribute: which attribute a request names, parsed once at
 * the boundary, and how a change applies to an image. "You can specify only one attribute at a
 * time" (EC2 API reference, DescribeImageAttribute and ModifyImageAttribute).
 */
import { DomainError } from "../errors.ts";
import { ImageErrorCode, invalidValue, missingParameter } from "./image-errors.ts";
import { assertDescription, isAccountId, parseImdsSupport, type ImdsSupport } from "./image-rules.ts";
import type { ImageRecord } from "./image.ts";

/** DescribeImageAttribute's `Attribute` values, in the EC2 API reference's order. */
export const IMAGE_ATTRIBUTE_NAMES = [
  "description",
  "kernel",
  "ramdisk",
  "launchPermission",
  "productCodes",
  "blockDeviceMapping",
  "sriovNetSupport",
  "bootMode",
  "tpmSupport",
  "uefiData",
  "lastLaunchedTime",
  "imdsSupport",
  "deregistrationProtection",
] as const;
export type ImageAttributeName = (typeof IMAGE_ATTRIBUTE_NAMES)[number];

/** ModifyImageAttribute `Attribute`: "Valid values: description | imdsSupport | launchPermission" (EC2 API reference). */
export const MODIFIABLE_ATTRIBUTES = ["description", "imdsSupport", "launchPermission"] as const;
export type ModifiableAttribute = (typeof MODIFIABLE_ATTRIBUTES)[number];

export const ONLY_ONE_ATTRIBUTE_MESSAGE = "You can specify only one attribute at a time.";
/** ModifyInstanceAttribute's answer to a call naming nothing (ansible-collections/amazon.aws#470). */
export const NO_ATTRIBUTE_MESSAGE = "No attributes specified.";
/** `LaunchPermission` `Group` has the one value `all` (EC2 API reference). */
export const GROUP_ALL = "all";

export function parseImageAttributeName(raw: string | undefined): ImageAttributeName {
  if (raw === undefined) throw missingParameter("Attribute");
  const found = IMAGE_ATTRIBUTE_NAMES.find((name) => name === raw);
  if (found === undefined) throw invalidValue("Attribute", raw, `Expected one of: ${IMAGE_ATTRIBUTE_NAMES.join(", ")}.`);
  return found;
}

export type LaunchPermission = { readonly group: typeof GROUP_ALL } | { readonly userId: string };

export type ImageAttributeChange =
  | { readonly kind: "description"; readonly value: string }
  | { readonly kind: "imdsSupport"; readonly value: ImdsSupport }
  | { readonly kind: "launchPermission"; readonly add: readonly LaunchPermission[]; readonly remove: readonly LaunchPermission[] };

/** One `LaunchPermission.Add.N` / `.Remove.N` structure as sent. */
export interface RawLaunchPermission {
  readonly Group?: string | undefined;
  readonly UserId?: string | undefined;
  readonly OrganizationArn?: string | undefined;
  readonly OrganizationalUnitArn?: string | undefined;
}

/** ModifyImageAttribute fields by wire name (`Description.Value` etc. already unwrapped). */
export interface RawImageAttributeRequest {
  readonly Attribute?: string | undefined;
  readonly Value?: string | undefined;
  readonly DescriptionValue?: string | undefined;
  readonly ImdsSupportValue?: string | undefined;
  readonly LaunchPermissionAdd?: readonly RawLaunchPermission[];
  readonly LaunchPermissionRemove?: readonly RawLaunchPermission[];
  readonly OperationType?: string | undefined;
  readonly UserIds?: readonly string[];
  readonly UserGroups?: readonly string[];
  readonly OrganizationArns?: readonly string[];
  readonly OrganizationalUnitArns?: readonly string[];
  readonly ProductCodes?: readonly string[];
}

function combination(message: string): DomainError {
  return new DomainError(ImageErrorCode.InvalidParameterCombination, message);
}

const ORGANIZATIONS_UNSUPPORTED =
  "Launch permissions for organizations and organizational units are not supported by this emulator; grant UserId or Group=all instead.";

/** EC2's code for a bad launch-permission item; the sentence is ours (docs/behaviour.md#error-wording). */
function invalidItem(value: string, itemType: string): DomainError {
  return new DomainError(ImageErrorCode.InvalidAmiAttributeItemValue, `Invalid attribute item value "${value}" for ${itemType} item type.`);
}

function parseUserId(raw: string): LaunchPermission {
  if (!isAccountId(raw)) throw invalidItem(raw, "userId");
  return { userId: raw };
}

function parseGroup(raw: string): LaunchPermission {
  if (raw !== GROUP_ALL) throw invalidItem(raw, "group");
  return { group: GROUP_ALL };
}

function parsePermissionStructs(raw: readonly RawLaunchPermission[], list: string): LaunchPermission[] {
  return raw.flatMap((item, index) => {
    if (item.OrganizationArn !== undefined || item.OrganizationalUnitArn !== undefined) {
      throw new DomainError(ImageErrorCode.UnsupportedOperation, ORGANIZATIONS_UNSUPPORTED);
    }
    const out: LaunchPermission[] = [];
    if (item.UserId !== undefined) out.push(parseUserId(item.UserId));
    if (item.Group !== undefined) out.push(parseGroup(item.Group));
    if (out.length === 0) throw missingParameter(`LaunchPermission.${list}.${index + 1}.UserId`);
    return out;
  });
}

function parseLaunchPermissionChange(raw: RawImageAttributeRequest): ImageAttributeChange {
  if ((raw.OrganizationArns ?? []).length > 0 || (raw.OrganizationalUnitArns ?? []).length > 0) {
    throw new DomainError(ImageErrorCode.UnsupportedOperation, ORGANIZATIONS_UNSUPPORTED);
  }
  const add = parsePermissionStructs(raw.LaunchPermissionAdd ?? [], "Add");
  const remove = parsePermissionStructs(raw.LaunchPermissionRemove ?? [], "Remove");
  const listed = [...(raw.UserIds ?? []).map(parseUserId), ...(raw.UserGroups ?? []).map(parseGroup)];
  if (listed.length > 0 || raw.OperationType !== undefined) {
    if (raw.OperationType === undefined) throw missingParameter("OperationType");
    if (raw.OperationType === "add") add.push(...listed);
    else if (raw.OperationType === "remove") remove.push(...listed);
    else throw invalidValue("OperationType", raw.OperationType, "Expected: 'add' or 'remove'.");
  }
  if (add.length === 0 && remove.length === 0) throw combination(NO_ATTRIBUTE_MESSAGE);
  return { kind: "launchPermission", add, remove };
}

/** One value given in either form (`Value` with Attribute, or `X.Value`), never both. */
function singleValue(viaAttribute: string | undefined, viaStruct: string | undefined, structName: string): string {
  if (viaAttribute !== undefined && viaStruct !== undefined) {
    throw combination(`Specify the new value either as Value or as ${structName}.Value, not both.`);
  }
  const value = viaAttribute ?? viaStruct;
  if (value === undefined) throw missingParameter("Value");
  return value;
}

/**
 * Which one attribute a ModifyImageAttribute call changes. The attribute may be named by
 * `Attribute` or by one of `Description`, `ImdsSupport`, `LaunchPermission` (EC2 API reference);
 * naming two is InvalidParameterCombination with the reference's own sentence.
 */
export function parseImageAttributeChange(raw: RawImageAttributeRequest): ImageAttributeChange {
  if ((raw.ProductCodes ?? []).length > 0) {
    // ModifyImageAttribute `ProductCodes`: "Not supported." (EC2 API reference)
    throw new DomainError(ImageErrorCode.UnsupportedOperation, "ProductCodes can't be modified with ModifyImageAttribute.");
  }
  const kinds = new Set<ModifiableAttribute>();
  if (raw.Attribute !== undefined) {
    const found = MODIFIABLE_ATTRIBUTES.find((a) => a === raw.Attribute);
    if (found === undefined) throw invalidValue("Attribute", raw.Attribute, `Expected one of: ${MODIFIABLE_ATTRIBUTES.join(", ")}.`);
    kinds.add(found);
  }
  if (raw.DescriptionValue !== undefined) kinds.add("description");
  if (raw.ImdsSupportValue !== undefined) kinds.add("imdsSupport");
  if ((raw.LaunchPermissionAdd ?? []).length > 0 || (raw.LaunchPermissionRemove ?? []).length > 0) kinds.add("launchPermission");
  if (kinds.size > 1) throw combination(ONLY_ONE_ATTRIBUTE_MESSAGE);
  const kind = [...kinds][0];

  const launchPermissionOnly =
    raw.OperationType !== undefined ||
    (raw.UserIds ?? []).length > 0 ||
    (raw.UserGroups ?? []).length > 0 ||
    (raw.OrganizationArns ?? []).length > 0 ||
    (raw.OrganizationalUnitArns ?? []).length > 0;
  if (launchPermissionOnly && raw.Attribute !== "launchPermission") {
    throw combination("OperationType, UserId, UserGroup, OrganizationArn and OrganizationalUnitArn can be used only when Attribute is launchPermission.");
  }
  if (raw.Value !== undefined && raw.Attribute !== "description" && raw.Attribute !== "imdsSupport") {
    throw combination("Value can be used only when Attribute is description or imdsSupport.");
  }
  if (kind === undefined) throw combination(NO_ATTRIBUTE_MESSAGE);
  switch (kind) {
    case "description":
      return { kind, value: assertDescription(singleValue(raw.Value, raw.DescriptionValue, "Description"), "Description") };
    case "imdsSupport":
      return { kind, value: parseImdsSupport(singleValue(raw.Value, raw.ImdsSupportValue, "ImdsSupport"), "ImdsSupport", "modify") };
    case "launchPermission":
      return parseLaunchPermissionChange(raw);
  }
}

/**
 * The image after a change. ImdsSupport only ever becomes "v2.0": no change can clear it ("After you
 * set the value to v2.0, you can't undo it", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html).
 */
export function applyImageAttributeChange(image: ImageRecord, change: ImageAttributeChange): ImageRecord {
  switch (change.kind) {
    case "description":
      return { ...image, description: change.value };
    case "imdsSupport":
      return { ...image, imdsSupport: change.value };
    case "launchPermission": {
      let isPublic = image.isPublic;
      const users = new Set(image.launchPermissionUserIds ?? []);
      for (const p of change.add) {
        if ("group" in p) isPublic = true;
        // The owner always has launch permission, so naming it as a grantee is refused (docs/behaviour.md#amis-and-account-defaults).
        else if (p.userId === image.ownerId) throw invalidItem(p.userId, "userId");
        else users.add(p.userId);
      }
      for (const p of change.remove) {
        if ("group" in p) isPublic = false;
        else users.delete(p.userId);
      }
      return { ...image, isPublic, launchPermissionUserIds: [...users] };
    }
  }
}
