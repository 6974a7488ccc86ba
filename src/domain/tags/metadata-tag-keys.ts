import { DomainError } from "../errors.ts";

/**
 * Which tag keys may appear in instance metadata (docs/sources.md#tags-in-instance-metadata): with tags
 * in metadata enabled, keys may use only a-z A-Z 0-9 and + - = . , _ : @, no spaces or "/", and
 * may not be exactly ".", ".." or "_index".
 */
const ALLOWED = /^[A-Za-z0-9+\-=.,_:@]+$/;
const RESERVED = new Set([".", "..", "_index"]);

export function isTagKeyAllowedInMetadata(key: string): boolean {
  return key.length > 0 && key.length <= 128 && ALLOWED.test(key) && !RESERVED.has(key);
}

/** The EC2 error message for a tag key that cannot appear in metadata, or null when it can. */
export function metadataTagKeyProblem(key: string): string | null {
  if (isTagKeyAllowedInMetadata(key)) return null;
  return (
    `The tag key '${key}' is not valid for instance metadata. When tags in instance metadata are enabled, ` +
    "tag keys can contain only letters, numbers, and the characters + - = . , _ : @, cannot contain spaces or '/', " +
    "and cannot be '.', '..' or '_index'."
  );
}

/**
 * With tags in metadata enabled every key must be allowed: a launch, a ModifyInstanceMetadataOptions
 * that enables it, and a CreateTags on such an instance are refused with InvalidParameterValue.
 */
export function assertTagKeysAllowedInMetadata(tags: readonly { readonly key: string }[]): void {
  for (const tag of tags) {
    const problem = metadataTagKeyProblem(tag.key);
    if (problem !== null) throw new DomainError("InvalidParameterValue", problem);
  }
}
