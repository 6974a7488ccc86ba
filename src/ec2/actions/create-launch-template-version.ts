import type { LaunchTemplateData } from "../../domain/launch-templates/launch-template.ts";
import { checkVersionDescription, TEMPLATE_DATA_RESOURCE_TYPES } from "../../domain/launch-templates/launch-template-rules.ts";
import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { defineAction } from "../action.ts";
import { idempotencyOf, type Idempotency } from "../client-token-params.ts";
import { getString } from "../query-params.ts";
import {
  parseLaunchTemplateData,
  parseTemplateRef,
  PARAM_SOURCE_VERSION,
  PARAM_VERSION_DESCRIPTION,
} from "./launch-template-request.ts";
import { renderLaunchTemplateVersion } from "./launch-template-render.ts";

interface CreateLaunchTemplateVersionInput {
  readonly ref: LaunchTemplateRef;
  readonly sourceVersion: string | undefined;
  readonly versionDescription: string | undefined;
  readonly data: LaunchTemplateData;
  readonly idempotency: Idempotency | undefined;
}

/**
 * CreateLaunchTemplateVersion. With SourceVersion the new version starts from that version's data
 * and each LaunchTemplateData member given replaces the inherited member whole (see
 * inheritLaunchTemplateData). A repeated `ClientToken` answers the version it created
 * (docs/behaviour.md#client-token). `ResolveAlias` is accepted and ignored.
 */
export const createLaunchTemplateVersionAction = defineAction<CreateLaunchTemplateVersionInput>({
  name: "CreateLaunchTemplateVersion",
  parse(ctx, services) {
    const { params } = ctx;
    const idempotency = idempotencyOf(ctx, services.clientTokens, "CreateLaunchTemplateVersion");
    const ref = parseTemplateRef(params, "create a new version of the template");
    const versionDescription = getString(params, PARAM_VERSION_DESCRIPTION);
    if (versionDescription !== undefined) checkVersionDescription(versionDescription);
    const data = parseLaunchTemplateData(params, TEMPLATE_DATA_RESOURCE_TYPES);
    return { ref, sourceVersion: getString(params, PARAM_SOURCE_VERSION), versionDescription, data, idempotency };
  },
  execute({ idempotency, ...input }, ctx, services) {
    const replay = idempotency?.replay;
    if (replay !== undefined) {
      const [templateId, versionNumber] = replay;
      const [first] = services.templates.describeVersions(ctx, { ref: { templateId: templateId! }, versions: [versionNumber!], minVersion: undefined, maxVersion: undefined, filters: [] });
      return { launchTemplateVersion: renderLaunchTemplateVersion(first!.record, first!.version) };
    }
    const { record, version } = services.templates.createVersion(ctx, { ...input, nowMs: ctx.nowMs });
    if (idempotency !== undefined) {
      services.clientTokens.put(idempotency.key, { fingerprint: idempotency.fingerprint, resourceIds: [record.templateId, String(version.versionNumber)] });
    }
    return { launchTemplateVersion: renderLaunchTemplateVersion(record, version) };
  },
});
