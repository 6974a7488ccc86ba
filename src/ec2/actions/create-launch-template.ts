import type { Tag } from "../../domain/instance/instance.ts";
import type { LaunchTemplateData } from "../../domain/launch-templates/launch-template.ts";
import {
  checkLaunchTemplateName,
  checkVersionDescription,
  LAUNCH_TEMPLATE_RESOURCE_TYPE,
  TEMPLATE_DATA_RESOURCE_TYPES,
} from "../../domain/launch-templates/launch-template-rules.ts";
import { defineAction } from "../action.ts";
import { PARAM_TAG_SPECIFICATION } from "../constants.ts";
import { getString } from "../query-params.ts";
import {
  missingParameter,
  parseLaunchTemplateData,
  parseTagSpecifications,
  PARAM_LAUNCH_TEMPLATE_NAME,
  PARAM_VERSION_DESCRIPTION,
} from "./launch-template-request.ts";
import { renderLaunchTemplate } from "./launch-template-render.ts";

interface CreateLaunchTemplateInput {
  readonly name: string;
  readonly versionDescription: string | undefined;
  readonly data: LaunchTemplateData;
  readonly tags: readonly Tag[];
}

/**
 * CreateLaunchTemplate. `ClientToken` is accepted and ignored (no idempotency window is emulated);
 * `TagSpecification.N` tags the template itself, so its ResourceType must be `launch-template`.
 */
export const createLaunchTemplateAction = defineAction<CreateLaunchTemplateInput>({
  name: "CreateLaunchTemplate",
  parse({ params }) {
    const name = getString(params, PARAM_LAUNCH_TEMPLATE_NAME);
    if (name === undefined) throw missingParameter(PARAM_LAUNCH_TEMPLATE_NAME);
    checkLaunchTemplateName(name);
    const versionDescription = getString(params, PARAM_VERSION_DESCRIPTION);
    if (versionDescription !== undefined) checkVersionDescription(versionDescription);
    const data = parseLaunchTemplateData(params, TEMPLATE_DATA_RESOURCE_TYPES);
    const tags = parseTagSpecifications(params, PARAM_TAG_SPECIFICATION, [LAUNCH_TEMPLATE_RESOURCE_TYPE]).flatMap((spec) => spec.tags);
    return { name, versionDescription, data, tags };
  },
  execute(input, ctx, services) {
    const record = services.templates.create(ctx, { ...input, nowMs: ctx.nowMs });
    return { launchTemplate: renderLaunchTemplate(record) };
  },
});
