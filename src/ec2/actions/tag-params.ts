import type { TagRemoval } from "../../domain/tags/tag-rules.ts";
import { MEMBER_KEY, MEMBER_TAG, MEMBER_VALUE, PARAM_RESOURCE_ID } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getList, getStructs, type QueryParams } from "../query-params.ts";

/** `ResourceId.N` of CreateTags/DeleteTags (required, EC2 API reference). */
export function getResourceIds(params: QueryParams): string[] {
  const ids = getList(params, PARAM_RESOURCE_ID);
  if (ids.length === 0) throw missingParameter(PARAM_RESOURCE_ID);
  return ids;
}

/**
 * `Tag.N.Key` / `Tag.N.Value`; a tag without a Key is MissingParameter. The Value stays absent when
 * not sent: CreateTags stores it as "" (EC2 API reference), DeleteTags then matches any value.
 */
export function getTagEntries(params: QueryParams): TagRemoval[] {
  return getStructs(params, MEMBER_TAG).map((struct, index) => {
    const key = struct[MEMBER_KEY];
    const value = struct[MEMBER_VALUE];
    if (typeof key !== "string") throw missingParameter(`${MEMBER_TAG}.${index + 1}.${MEMBER_KEY}`);
    return typeof value === "string" ? { key, value } : { key };
  });
}
