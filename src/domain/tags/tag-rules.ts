/**
 * User tags on EC2 resources (Using_Tags#tag-restrictions): keys 1-128 characters, values up to
 * 256, at most 50 user tags per resource, and the `aws:` prefix (any case) reserved: users can't
 * create, edit or delete such tags, and DeleteTags without tags leaves them in place (EC2 API reference,
 * DeleteTags).
 */
import type { Tag } from "../instance/instance.ts";
import { DomainError } from "../errors.ts";

export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
export const MAX_USER_TAGS = 50;
const AWS_PREFIX = "aws:";

export function isAwsReservedKey(key: string): boolean {
  return key.slice(0, AWS_PREFIX.length).toLowerCase() === AWS_PREFIX;
}

/**
 * RunInstances answers the short sentence (jcjorel/ec2-spot-converter#13), CreateTags/DeleteTags
 * the "Value ( k ) for parameter key" form (AndrewFarley/AWS-Automated-Daily-Instance-AMI-Snapshots#7).
 */
export function reservedKeyError(key: string, form: "launch" | "tagging"): DomainError {
  const reason = "Tag keys starting with 'aws:' are reserved for internal use";
  return new DomainError("InvalidParameterValue", form === "launch" ? reason : `Value ( ${key} ) for parameter key is invalid. ${reason}`);
}

/** Length rules for a tag a user writes; wording follows EC2's "Value ( x ) for parameter y" form (docs/behaviour.md#error-wording). */
export function assertUserTag(tag: Tag, form: "launch" | "tagging"): void {
  if (isAwsReservedKey(tag.key)) throw reservedKeyError(tag.key, form);
  if (tag.key.length === 0 || tag.key.length > MAX_TAG_KEY_LENGTH) {
    throw new DomainError(
      "InvalidParameterValue",
      `Value ( ${tag.key} ) for parameter key is invalid. Tag keys must be between 1 and ${MAX_TAG_KEY_LENGTH} characters`,
    );
  }
  if (tag.value.length > MAX_TAG_VALUE_LENGTH) {
    throw new DomainError(
      "InvalidParameterValue",
      `Value ( ${tag.value} ) for parameter value is invalid. Tag values may be at most ${MAX_TAG_VALUE_LENGTH} characters`,
    );
  }
}

/** The EC2 error-code page's sentence for TagLimitExceeded. */
export function assertTagLimit(tags: readonly Tag[]): void {
  if (tags.filter((t) => !isAwsReservedKey(t.key)).length > MAX_USER_TAGS) {
    throw new DomainError(
      "TagLimitExceeded",
      `You've reached the limit on the number of tags that you can assign to the specified resource (${MAX_USER_TAGS}).`,
    );
  }
}

/** Per key, `override` wins; keys keep their first position, new keys are appended in order. */
export function mergeTags(base: readonly Tag[], override: readonly Tag[]): Tag[] {
  const merged = new Map<string, string>();
  for (const tag of [...base, ...override]) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}

/** A DeleteTags entry: without a value any tag with the key goes; with one ("" included) only on match. */
export interface TagRemoval {
  readonly key: string;
  readonly value?: string;
}

/** `removals` undefined removes every user tag and keeps the aws: ones (EC2 API reference, DeleteTags). */
export function removeTags(current: readonly Tag[], removals: readonly TagRemoval[] | undefined): Tag[] {
  if (removals === undefined) return current.filter((t) => isAwsReservedKey(t.key));
  return current.filter((t) => !removals.some((r) => r.key === t.key && (r.value === undefined || r.value === t.value)));
}
