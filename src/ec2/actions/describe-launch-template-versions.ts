import { DomainError } from "../../domain/errors.ts";
import { checkVersionFilters, type Filter } from "../../domain/launch-templates/launch-template-filters.ts";
import { isVersionAlias, parseVersionNumber } from "../../domain/launch-templates/resolve-version.ts";
import type { LaunchTemplateRef } from "../../app/launch-template-service.ts";
import { defineAction } from "../action.ts";
import { ErrorCode } from "../constants.ts";
import { getList, getString, type QueryParams } from "../query-params.ts";
import {
  parseFilters,
  parseMaxResults,
  parseOptionalTemplateRef,
  PARAM_LAUNCH_TEMPLATE_VERSION,
  PARAM_MAX_VERSION,
  PARAM_MIN_VERSION,
  PARAM_NEXT_TOKEN,
} from "./launch-template-request.ts";
import { paginate } from "./launch-template-paging.ts";
import { renderLaunchTemplateVersion } from "./launch-template-render.ts";

/**
 * [AWS] verbatim, curly quotes included (moto's aws_verified
 * test_describe_launch_template_versions_without_name_or_id / _with_just_version): EC2 answers it
 * as MissingParameter without any version and as InvalidParameterValue with a version number.
 */
export const ACCOUNT_WIDE_VERSIONS_MESSAGE =
  "To describe the launch template data for all your launch templates, for ‘--versions’ specify ‘$Latest’, ‘$Default’, or both, and omit ‘--launch-template-id’, ‘--launch-template-name’, and version numbers. To describe the launch template data for a specific launch template, specify ‘--launch-template-id’ or ‘--launch-template-name’, and for ‘--versions’ specify one or more of the following values: ‘$Latest’, ‘$Default’, or one or more version numbers.";

interface DescribeLaunchTemplateVersionsInput {
  readonly ref: LaunchTemplateRef | undefined;
  readonly versions: readonly string[];
  readonly minVersion: number | undefined;
  readonly maxVersion: number | undefined;
  readonly filters: readonly Filter[];
  readonly maxResults: number | undefined;
  readonly nextToken: string | undefined;
}

/** Our sentence in EC2's "Value (x) for parameter y is invalid." form (docs/behaviour.md#error-wording). */
function parseBound(params: QueryParams, name: string): number | undefined {
  const raw = getString(params, name);
  if (raw === undefined) return undefined;
  const value = parseVersionNumber(raw);
  if (value === undefined) {
    const parameter = name.charAt(0).toLowerCase() + name.slice(1);
    throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${raw}) for parameter ${parameter} is invalid. Expecting a version number.`);
  }
  return value;
}

/**
 * DescribeLaunchTemplateVersions: one template (by id or name) with `LaunchTemplateVersion.N`
 * ($Latest, $Default, numbers), MinVersion/MaxVersion, `Filter.N` and paging; or, without a
 * template, the $Latest and/or $Default version of every template in the account and Region.
 * `ResolveAlias` and `IncludeManagedResources` are accepted and ignored.
 */
export const describeLaunchTemplateVersionsAction = defineAction<DescribeLaunchTemplateVersionsInput>({
  name: "DescribeLaunchTemplateVersions",
  parse({ params }) {
    const ref = parseOptionalTemplateRef(params, "describe the template versions");
    const versions = getList(params, PARAM_LAUNCH_TEMPLATE_VERSION);
    if (ref === undefined && versions.length === 0) throw new DomainError(ErrorCode.MissingParameter, ACCOUNT_WIDE_VERSIONS_MESSAGE);
    if (ref === undefined && !versions.every(isVersionAlias)) throw new DomainError(ErrorCode.InvalidParameterValue, ACCOUNT_WIDE_VERSIONS_MESSAGE);
    const filters = parseFilters(params);
    checkVersionFilters(filters);
    return {
      ref,
      versions,
      minVersion: parseBound(params, PARAM_MIN_VERSION),
      maxVersion: parseBound(params, PARAM_MAX_VERSION),
      filters,
      maxResults: parseMaxResults(params),
      nextToken: getString(params, PARAM_NEXT_TOKEN),
    };
  },
  execute(input, ctx, services) {
    const found = services.templates.describeVersions(ctx, input);
    const page = paginate(found, input.maxResults, input.nextToken);
    return {
      launchTemplateVersionSet: page.items.map(({ record, version }) => renderLaunchTemplateVersion(record, version)),
      nextToken: page.nextToken,
    };
  },
});
