/**
 * Which version of a launch template a version string names (RunInstances `LaunchTemplate.Version`,
 * DescribeLaunchTemplateVersions `LaunchTemplateVersion.N`, CreateLaunchTemplateVersion
 * `SourceVersion`): "$Latest", "$Default" or a version number; no string means the default version
 * ("If you don't specify a version, the default version is used", EC2 UG, launch templates).
 *
 * The aliases are matched exactly as the API reference spells them; a version string that is not a
 * number, or a number the template does not have, is InvalidLaunchTemplateId.VersionNotFound naming
 * the string as given (for non-numbers EC2's answer is not captured: docs/behaviour.md#launch-templates).
 */
import type { LaunchTemplateOptions } from "../precedence/resolve.ts";
import type { LaunchTemplateRecord, LaunchTemplateVersion } from "./launch-template.ts";
import { launchTemplateVersionNotFound } from "./launch-template-errors.ts";

export const VERSION_LATEST = "$Latest";
export const VERSION_DEFAULT = "$Default";

/** Java's Long.parseLong accepts leading zeros ("01" is 1); so do we. */
const VERSION_NUMBER = /^[0-9]{1,15}$/;

/** The version number a plain number string names, or undefined when it is not one. */
export function parseVersionNumber(text: string): number | undefined {
  return VERSION_NUMBER.test(text) ? Number(text) : undefined;
}

export function isVersionAlias(text: string): boolean {
  return text === VERSION_LATEST || text === VERSION_DEFAULT;
}

/**
 * The version `versionSpec` names in `record`, or a DomainError with EC2's code. Pure: the
 * instances side calls it at RunInstances with the record it loaded.
 */
export function findLaunchTemplateVersion(record: LaunchTemplateRecord, versionSpec: string | undefined): LaunchTemplateVersion {
  const spec = versionSpec ?? VERSION_DEFAULT;
  const wanted =
    spec === VERSION_LATEST
      ? record.latestVersionNumber
      : spec === VERSION_DEFAULT
        ? record.defaultVersionNumber
        : parseVersionNumber(spec);
  const found = wanted === undefined ? undefined : record.versions.find((v) => v.versionNumber === wanted);
  if (found === undefined) throw launchTemplateVersionNotFound(record.templateId, spec);
  return found;
}

/** The launch-template layer of the precedence resolution (docs/behaviour.md#order-of-precedence-at-launch) for one version. */
export function launchTemplateOptionsOf(record: LaunchTemplateRecord, version: LaunchTemplateVersion): LaunchTemplateOptions {
  return {
    input: version.data.metadataOptions ?? {},
    templateId: record.templateId,
    templateName: record.templateName,
    version: version.versionNumber,
  };
}
