import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { defineAction } from "../action.ts";
import { getString } from "../query-params.ts";
import { parseTemplateRef, PARAM_SET_DEFAULT_VERSION } from "./launch-template-request.ts";
import { renderLaunchTemplate } from "./launch-template-render.ts";

interface ModifyLaunchTemplateInput {
  readonly ref: LaunchTemplateRef;
  readonly defaultVersion: string | undefined;
}

/**
 * ModifyLaunchTemplate: `SetDefaultVersion` (the model's DefaultVersion member) must name an
 * existing version number. `ClientToken` is accepted and ignored.
 */
export const modifyLaunchTemplateAction = defineAction<ModifyLaunchTemplateInput>({
  name: "ModifyLaunchTemplate",
  parse({ params }) {
    return { ref: parseTemplateRef(params, "modify the template"), defaultVersion: getString(params, PARAM_SET_DEFAULT_VERSION) };
  },
  execute(input, ctx, services) {
    return { launchTemplate: renderLaunchTemplate(services.templates.setDefaultVersion(ctx, input.ref, input.defaultVersion)) };
  },
});
