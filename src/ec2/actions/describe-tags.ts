import type { TagDescription } from "../../app/tag-service.ts";
import { defineAction } from "../action.ts";
import { compileFilters, getFilters, type FilterSchema } from "../filters.ts";
import { getPageRequest, paginate, type PageRequest } from "../pagination.ts";

const ACTION = "DescribeTags";

/** DescribeTags filters (EC2 API reference): key, resource-id, resource-type, tag:<key>, value. */
const TAG_FILTERS: FilterSchema<TagDescription> = {
  fields: {
    key: (t) => [t.key],
    value: (t) => [t.value],
    "resource-id": (t) => [t.resourceId],
    "resource-type": (t) => [t.resourceType],
  },
  tagValues: (t, key) => (t.key === key ? [t.value] : []),
};

interface DescribeTagsInput {
  readonly matches: (tag: TagDescription) => boolean;
  readonly page: PageRequest;
}

export const describeTagsAction = defineAction<DescribeTagsInput>({
  name: ACTION,
  parse(ctx) {
    return { matches: compileFilters(getFilters(ctx.params), TAG_FILTERS), page: getPageRequest(ctx.params, ACTION) };
  },
  execute({ matches, page }, ctx, services) {
    const { items, nextToken } = paginate(services.tags.tagDescriptions(ctx), matches, page, ACTION);
    return {
      tagSet: items.map((t) => ({ resourceId: t.resourceId, resourceType: t.resourceType, key: t.key, value: t.value })),
      nextToken,
    };
  },
});
