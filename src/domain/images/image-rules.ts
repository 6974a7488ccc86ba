/**
 * Pure rules about AMIs: id and name shapes, who may see or change an image, and the one value
 * ImdsSupport can take. No store, no clock: callers pass what they loaded.
 */
import { DomainError } from "../errors.ts";
import { imageIdMalformed } from "../instance/resource-errors.ts";
import { isImageId } from "../instance/resource-ids.ts";
import { ImageErrorCode, invalidValue, notAuthorizedForImage } from "./image-errors.ts";
import { AMAZON_OWNER_ALIAS, AMAZON_OWNER_ID, type ImageRecord } from "./image.ts";

/** `ImdsSupport` has exactly this one value (EC2 API reference, RegisterImage). */
export const IMDS_SUPPORT_V2 = "v2.0";
export type ImdsSupport = typeof IMDS_SUPPORT_V2;

/** RegisterImage `Name` constraints (EC2 API reference: 3-128 characters from this set). */
const IMAGE_NAME = /^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/;
/** RegisterImage `Description`: at most 255 characters (EC2 API reference). */
export const DESCRIPTION_MAX_LENGTH = 255;
/** An AWS account id, the only kind of UserId a launch permission names. */
const ACCOUNT_ID = /^[0-9]{12}$/;

export const ARCHITECTURES = ["i386", "x86_64", "arm64", "x86_64_mac", "arm64_mac"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];
/** RegisterImage `Architecture`: "Default: For Amazon EBS-backed AMIs, i386." (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RegisterImage.html) */
export const DEFAULT_ARCHITECTURE: Architecture = "i386";
/** EC2 sets no default root device; /dev/xvda is what Amazon Linux AMIs use (docs/behaviour.md#amis-and-account-defaults). */
export const DEFAULT_ROOT_DEVICE_NAME = "/dev/xvda";

/** The same id check and error RunInstances applies (resource-ids.ts), so both agree on what is an AMI id. */
export function assertImageId(value: string): string {
  if (!isImageId(value)) throw imageIdMalformed(value);
  return value;
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/**
 * Wording of the EC2 error page for InvalidAMIName.Malformed, with the characters the current
 * EC2 API reference allows ([] space ' @ were added after that page was written).
 */
export function assertImageName(name: string): string {
  if (!IMAGE_NAME.test(name)) {
    throw new DomainError(
      ImageErrorCode.InvalidAmiNameMalformed,
      "AMI names must be between 3 and 128 characters long, and may contain letters, numbers, " +
        "'(', ')', '[', ']', ' ', '.', '-', '/', ''', '@' and '_'",
    );
  }
  return name;
}

export function assertDescription(description: string, parameter: string): string {
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    throw invalidValue(parameter, `${description.slice(0, 32)}...`, `The description can be at most ${DESCRIPTION_MAX_LENGTH} characters long.`);
  }
  return description;
}

export function parseArchitecture(raw: string): Architecture {
  const found = ARCHITECTURES.find((a) => a === raw);
  if (found === undefined) throw invalidValue("Architecture", raw, `Expected one of: ${ARCHITECTURES.join(", ")}.`);
  return found;
}

/**
 * The API reference's "After you set the value to v2.0, you can't undo it", said in the error itself so a
 * caller trying `v1.0` or an empty value on ModifyImageAttribute learns why it fails (EC2's own
 * wording is not documented: docs/behaviour.md#amis-and-account-defaults).
 */
export const IMDS_SUPPORT_IRREVERSIBLE =
  "Once an AMI has ImdsSupport v2.0 it can't be undone or unset; " +
  "to get an AMI without it, register a new AMI from the underlying snapshot.";

/** `use: "modify"` adds the irreversibility sentence, which is what a caller changing it needs to hear. */
export function parseImdsSupport(raw: string, parameter: string, use: "register" | "modify"): ImdsSupport {
  if (raw === IMDS_SUPPORT_V2) return IMDS_SUPPORT_V2;
  const base = `A value of '${raw}' is not valid for ${parameter}. The only valid value is '${IMDS_SUPPORT_V2}'.`;
  throw new DomainError(ImageErrorCode.InvalidParameterValue, use === "modify" ? `${base} ${IMDS_SUPPORT_IRREVERSIBLE}` : base);
}

/** Owner aliases EC2 shows as imageOwnerAlias and accepts in Owner.N / owner-alias. */
export function ownerAliasOf(image: Pick<ImageRecord, "ownerId">): string | undefined {
  return image.ownerId === AMAZON_OWNER_ID ? AMAZON_OWNER_ALIAS : undefined;
}

/** EBS-backed AMIs show `<owner alias or id>/<name>` (e.g. `amazon/al2023-ami-...`). */
export function imageLocationOf(image: ImageRecord): string {
  return image.imageLocation ?? `${ownerAliasOf(image) ?? image.ownerId}/${image.name}`;
}

/** An account sees its own AMIs, public ones, and those shared with it by launch permission. */
export function isImageVisibleTo(image: ImageRecord, accountId: string): boolean {
  return image.ownerId === accountId || image.isPublic || (image.launchPermissionUserIds ?? []).includes(accountId);
}

/** Attributes can be read or changed only by the owner; others get AuthFailure, as EC2 answers. */
export function assertImageOwner(image: ImageRecord, accountId: string): ImageRecord {
  if (image.ownerId !== accountId) throw notAuthorizedForImage(image.imageId);
  return image;
}
