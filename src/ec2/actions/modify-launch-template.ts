import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { defineAction } from "../action.ts";
import { idempotencyOf, type Idempotency } from "../client-token-params.ts";
import { getString } from "../query-params.ts";
import { parseTemplateRef, PARAM_SET_DEFAULT_VERSION } from "./launch-template-request.ts";
import { renderLaunchTemplate } from "./launch-template-render.ts";

interface ModifyLaunchTemplateInput {
  readonly ref: LaunchTemplateRef;
  readonly defaultVersion: string | undefined;
  readonly idempotency: Idempotency | undefined;
}

/**
 * ModifyLaunchTemplate: `SetDefaultVersion` (the model's DefaultVersion member) must name an
 * existing version number. A repeated `ClientToken` changes nothing more and answers the template
 * (docs/behaviour.md#client-token).
 */
export const modifyLaunchTemplateAction = defineAction<ModifyLaunchTemplateInput>({
  name: "ModifyLaunchTemplate",
  parse(ctx, services) {
    const { params } = ctx;
    const idempotency = idempotencyOf(ctx, services.clientTokens, "ModifyLaunchTemplate");
    return { ref: parseTemplateRef(params, "modify the template"), defaultVersion: getString(params, PARAM_SET_DEFAULT_VERSION), idempotency };
  },
  execute({ ref, defaultVersion, idempotency }, ctx, services) {
    if (idempotency?.replay !== undefined) return { launchTemplate: renderLaunchTemplate(services.templates.get(ctx, { templateId: idempotency.replay[0]! })) };
    const record = services.templates.setDefaultVersion(ctx, ref, defaultVersion);
    if (idempotency !== undefined) services.clientTokens.put(idempotency.key, { fingerprint: idempotency.fingerprint, resourceIds: [record.templateId] });
    return { launchTemplate: renderLaunchTemplate(record) };
  },
});
