import { checkTemplateFilters, type Filter } from "../../domain/launch-templates/launch-template-filters.ts";
import { checkLaunchTemplateId } from "../../domain/launch-templates/launch-template-rules.ts";
import { defineAction } from "../action.ts";
import { getList, getString } from "../query-params.ts";
import {
  parseFilters,
  parseMaxResults,
  PARAM_LAUNCH_TEMPLATE_ID,
  PARAM_LAUNCH_TEMPLATE_NAME,
  PARAM_NEXT_TOKEN,
} from "./launch-template-request.ts";
import { paginate } from "./launch-template-paging.ts";
import { renderLaunchTemplate } from "./launch-template-render.ts";

interface DescribeLaunchTemplatesInput {
  readonly templateIds: readonly string[];
  readonly templateNames: readonly string[];
  readonly filters: readonly Filter[];
  readonly maxResults: number | undefined;
  readonly nextToken: string | undefined;
}

/**
 * DescribeLaunchTemplates: `LaunchTemplateId.N`, `LaunchTemplateName.N`, `Filter.N`
 * (launch-template-name, create-time, tag:KEY, tag-key), MaxResults 1..200 and NextToken.
 * `IncludeManagedResources` is accepted and ignored: no template here is service-managed.
 */
export const describeLaunchTemplatesAction = defineAction<DescribeLaunchTemplatesInput>({
  name: "DescribeLaunchTemplates",
  parse({ params }) {
    const templateIds = getList(params, PARAM_LAUNCH_TEMPLATE_ID);
    templateIds.forEach(checkLaunchTemplateId);
    const filters = parseFilters(params);
    checkTemplateFilters(filters);
    return {
      templateIds,
      templateNames: getList(params, PARAM_LAUNCH_TEMPLATE_NAME),
      filters,
      maxResults: parseMaxResults(params),
      nextToken: getString(params, PARAM_NEXT_TOKEN),
    };
  },
  execute(input, ctx, services) {
    const page = paginate(services.templates.describe(ctx, input), input.maxResults, input.nextToken);
    return { launchTemplates: page.items.map(renderLaunchTemplate), nextToken: page.nextToken };
  },
});
