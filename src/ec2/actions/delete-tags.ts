import type { TagWrite } from "../../app/tag-service.ts";
import { defineAction } from "../action.ts";
import { getResourceIds, getTagEntries } from "./tag-params.ts";

/**
 * DeleteTags: a key alone deletes the tag whatever its value, a key with a value ("" included)
 * only on a match, and no Tag.N at all deletes every user tag, aws: tags stay
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteTags.html).
 */
export const deleteTagsAction = defineAction<TagWrite[]>({
  name: "DeleteTags",
  parse(ctx, services) {
    const resourceIds = getResourceIds(ctx.params);
    const entries = getTagEntries(ctx.params);
    return services.tags.planTagChange(ctx, resourceIds, { kind: "delete", removals: entries.length === 0 ? undefined : entries });
  },
  async execute(writes, _ctx, services) {
    await services.tags.applyTagChange(writes);
    return { return: true };
  },
});
