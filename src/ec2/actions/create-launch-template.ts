import type { Tag } from "../../domain/instance/instance.ts";
import type { LaunchTemplateData } from "../../domain/launch-templates/launch-template.ts";
import {
  checkLaunchTemplateName,
  checkVersionDescription,
  LAUNCH_TEMPLATE_RESOURCE_TYPE,
  TEMPLATE_DATA_RESOURCE_TYPES,
} from "../../domain/launch-templates/launch-template-rules.ts";
import { replayedResources, type ClientTokenKey } from "../../domain/idempotency/client-token.ts";
import { defineAction } from "../action.ts";
import { getClientToken, requestFingerprint } from "../client-token-params.ts";
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
  /** With a ClientToken: the key to remember, and the template a faithful retry answers with. */
  readonly idempotency?: { readonly key: ClientTokenKey; readonly fingerprint: string; readonly replayTemplateId: string | undefined };
}

/**
 * CreateLaunchTemplate. A repeated `ClientToken` with the same parameters answers the template the
 * first call created; with other parameters, IdempotentParameterMismatch (docs/behaviour.md#client-token).
 * `TagSpecification.N` tags the template itself, so its ResourceType must be `launch-template`.
 */
export const createLaunchTemplateAction = defineAction<CreateLaunchTemplateInput>({
  name: "CreateLaunchTemplate",
  parse(ctx, services) {
    const { params } = ctx;
    const token = getClientToken(params);
    const key: ClientTokenKey | undefined = token === undefined ? undefined : { accountId: ctx.accountId, region: ctx.region, action: "CreateLaunchTemplate", token };
    const fingerprint = requestFingerprint(params);
    const replayTemplateId = key === undefined ? undefined : replayedResources(services.clientTokens.get(key), fingerprint)?.[0];
    const name = getString(params, PARAM_LAUNCH_TEMPLATE_NAME);
    if (name === undefined) throw missingParameter(PARAM_LAUNCH_TEMPLATE_NAME);
    checkLaunchTemplateName(name);
    const versionDescription = getString(params, PARAM_VERSION_DESCRIPTION);
    if (versionDescription !== undefined) checkVersionDescription(versionDescription);
    const data = parseLaunchTemplateData(params, TEMPLATE_DATA_RESOURCE_TYPES);
    const tags = parseTagSpecifications(params, PARAM_TAG_SPECIFICATION, [LAUNCH_TEMPLATE_RESOURCE_TYPE]).flatMap((spec) => spec.tags);
    return { name, versionDescription, data, tags, ...(key === undefined ? {} : { idempotency: { key, fingerprint, replayTemplateId } }) };
  },
  execute({ idempotency, ...input }, ctx, services) {
    if (idempotency?.replayTemplateId !== undefined) {
      return { launchTemplate: renderLaunchTemplate(services.templates.get(ctx, { templateId: idempotency.replayTemplateId })) };
    }
    const record = services.templates.create(ctx, { ...input, nowMs: ctx.nowMs });
    if (idempotency !== undefined) services.clientTokens.put(idempotency.key, { fingerprint: idempotency.fingerprint, resourceIds: [record.templateId] });
    return { launchTemplate: renderLaunchTemplate(record) };
  },
});
