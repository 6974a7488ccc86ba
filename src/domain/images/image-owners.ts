/**
 * DescribeImages `Owner.N`: account ids, `self` (the caller) and the aliases the EC2 API reference lists
 * ("amazon, aws-backup-vault, and aws-marketplace"). An image matches when any owner names it.
 */
import { DomainError } from "../errors.ts";
import { ImageErrorCode } from "./image-errors.ts";
import { isAccountId, ownerAliasOf } from "./image-rules.ts";
import type { ImageRecord } from "./image.ts";

export const OWNER_SELF = "self";
const OWNER_KEYWORDS: readonly string[] = [OWNER_SELF, "amazon", "aws-marketplace", "aws-backup-vault"];

/** `User ID '12345' is invalid`, as EC2 answers a bad owner (AWS FPGA docs, DescribeFpgaImages --owners). */
export function parseOwners(raw: readonly string[]): string[] {
  for (const owner of raw) {
    if (!isAccountId(owner) && !OWNER_KEYWORDS.includes(owner)) {
      throw new DomainError(ImageErrorCode.InvalidUserIdMalformed, `User ID '${owner}' is invalid`);
    }
  }
  return [...raw];
}

export function imageMatchesOwners(image: ImageRecord, owners: readonly string[], accountId: string): boolean {
  if (owners.length === 0) return true;
  const alias = ownerAliasOf(image);
  return owners.some((owner) => (owner === OWNER_SELF ? image.ownerId === accountId : owner === image.ownerId || owner === alias));
}
