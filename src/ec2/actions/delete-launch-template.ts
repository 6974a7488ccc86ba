import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { defineAction } from "../action.ts";
import { parseTemplateRef } from "./launch-template-request.ts";
import { renderLaunchTemplate } from "./launch-template-render.ts";

/** DeleteLaunchTemplate: answers with the template as it was (CLI reference example). */
export const deleteLaunchTemplateAction = defineAction<{ readonly ref: LaunchTemplateRef }>({
  name: "DeleteLaunchTemplate",
  parse({ params }) {
    return { ref: parseTemplateRef(params, "delete the template") };
  },
  execute(input, ctx, services) {
    return { launchTemplate: renderLaunchTemplate(services.templates.delete(ctx, input.ref)) };
  },
});
