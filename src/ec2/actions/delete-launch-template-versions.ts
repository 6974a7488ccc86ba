import { DomainError } from "../../domain/errors.ts";
import { parseVersionNumber } from "../../domain/launch-templates/resolve-version.ts";
import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { defineAction } from "../action.ts";
import { ErrorCode } from "../constants.ts";
import { getList } from "../query-params.ts";
import { missingParameter, parseTemplateRef, PARAM_LAUNCH_TEMPLATE_VERSION } from "./launch-template-request.ts";

/** "You can specify up to 200 launch template version numbers." (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteLaunchTemplateVersions.html) */
const MAX_VERSIONS_PER_CALL = 200;

interface DeleteLaunchTemplateVersionsInput {
  readonly ref: LaunchTemplateRef;
  readonly versionNumbers: readonly number[];
}

/**
 * DeleteLaunchTemplateVersions: each version number is deleted or reported on its own in
 * `unsuccessfullyDeletedLaunchTemplateVersionSet`. Version strings that are not numbers ("$Latest")
 * fail the whole call (the API reference says version numbers; EC2's answer is not captured: docs/behaviour.md#launch-templates).
 */
export const deleteLaunchTemplateVersionsAction = defineAction<DeleteLaunchTemplateVersionsInput>({
  name: "DeleteLaunchTemplateVersions",
  parse({ params }) {
    const ref = parseTemplateRef(params, "delete the template versions");
    const raw = getList(params, PARAM_LAUNCH_TEMPLATE_VERSION);
    if (raw.length === 0) throw missingParameter(PARAM_LAUNCH_TEMPLATE_VERSION);
    if (raw.length > MAX_VERSIONS_PER_CALL) {
      throw new DomainError(ErrorCode.InvalidParameterValue, `You can specify up to ${MAX_VERSIONS_PER_CALL} launch template version numbers.`);
    }
    const versionNumbers = raw.map((text) => {
      const n = parseVersionNumber(text);
      if (n === undefined) throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${text}) for parameter launchTemplateVersion is invalid. Expecting a version number.`);
      return n;
    });
    return { ref, versionNumbers };
  },
  execute(input, ctx, services) {
    const { record, deleted, failed } = services.templates.deleteVersions(ctx, input.ref, input.versionNumbers);
    const names = { launchTemplateId: record.templateId, launchTemplateName: record.templateName };
    return {
      successfullyDeletedLaunchTemplateVersionSet: deleted.map((versionNumber) => ({ ...names, versionNumber })),
      unsuccessfullyDeletedLaunchTemplateVersionSet: failed.map(({ versionNumber, code, message }) => ({
        ...names,
        versionNumber,
        responseError: { code, message },
      })),
    };
  },
});
