import type { TagWrite } from "../../app/tag-service.ts";
import { defineAction } from "../action.ts";
import { MEMBER_TAG } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getResourceIds, getTagEntries } from "./tag-params.ts";

/**
 * CreateTags on instances, the account's images and launch templates: a key already present gets
 * the new value. With tags in instance metadata enabled, a key IMDS cannot carry is refused.
 */
export const createTagsAction = defineAction<TagWrite[]>({
  name: "CreateTags",
  parse(ctx, services) {
    const resourceIds = getResourceIds(ctx.params);
    const tags = getTagEntries(ctx.params).map((t) => ({ key: t.key, value: t.value ?? "" }));
    if (tags.length === 0) throw missingParameter(MEMBER_TAG);
    return services.tags.planTagChange(ctx, resourceIds, { kind: "create", tags });
  },
  async execute(writes, _ctx, services) {
    await services.tags.applyTagChange(writes);
    return { return: true };
  },
});
