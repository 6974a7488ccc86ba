/**
 * What the AWS CLI prints (`--output json`), read back into the levels of the launch resolution,
 * so `imds-lab resolve` can answer from pasted real output with no server:
 *
 * - `aws ec2 describe-images` (`{"Images":[{"ImageId","ImdsSupport"}]}`), or a single image
 *   object, or `describe-image-attribute --attribute imdsSupport` (`{"ImdsSupport":{"Value"}}`);
 * - `aws ec2 describe-launch-template-versions` (`{"LaunchTemplateVersions":[…]}`) or
 *   `create-launch-template-version` (`{"LaunchTemplateVersion":{…}}`);
 * - `aws ec2 get-instance-metadata-defaults` (`{"AccountLevel":{…}}`);
 * - RunInstances' `--metadata-options` JSON (`{"HttpTokens":"optional"}`), or `{"MetadataOptions":{…}}`.
 *
 * Values go through the same validation as the EC2 API, so a typo fails as EC2 would fail it.
 */
import { DomainError } from "../domain/errors.ts";
import { modifyAccountDefaults, NO_ACCOUNT_DEFAULTS, type AccountMetadataDefaults } from "../domain/options/account-defaults.ts";
import type { MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import { ACCOUNT_LEVEL_FIELDS, METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../domain/options/metadata-option-names.ts";
import { PARAM_HTTP_TOKENS_ENFORCED, parseAccountDefaultsChange, parseMetadataOptionsInput } from "../domain/options/validate.ts";
import type { LaunchImage, LaunchTemplateOptions } from "../domain/precedence/resolve.ts";

export const INVALID_DOCUMENT = "InvalidDocument";

function invalid(what: string, message: string): DomainError {
  return new DomainError(INVALID_DOCUMENT, `${what}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** CLI output keeps numbers as numbers; the validators take the wire's strings. */
function wire(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : String(value);
}

function metadataOptions(raw: unknown, what: string): MetadataOptionsInput {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw invalid(what, "MetadataOptions must be an object.");
  return parseMetadataOptionsInput(Object.fromEntries(METADATA_OPTION_FIELDS.map((f) => [METADATA_OPTION_NAMES[f].param, wire(raw[METADATA_OPTION_NAMES[f].param])])));
}

export function readImage(document: unknown): LaunchImage {
  const what = "image document";
  if (!isRecord(document)) throw invalid(what, "expected the JSON of aws ec2 describe-images.");
  let image: Record<string, unknown> = document;
  if (Array.isArray(document.Images)) {
    if (document.Images.length !== 1) throw invalid(what, `expected exactly one image, found ${document.Images.length}; narrow describe-images with --image-ids.`);
    image = document.Images[0] as Record<string, unknown>;
  }
  if (!isRecord(image) || typeof image.ImageId !== "string") throw invalid(what, "the image has no ImageId.");
  const support = isRecord(image.ImdsSupport) ? image.ImdsSupport.Value : image.ImdsSupport;
  if (support !== undefined && support !== "v2.0") throw invalid(what, `ImdsSupport can only be v2.0, not '${String(support)}'.`);
  return { imageId: image.ImageId, imdsSupport: support === "v2.0" ? "v2.0" : null };
}

/** `version`: a number, `$Latest` or `$Default` (default: the version marked DefaultVersion, else the only one). */
export function readLaunchTemplate(document: unknown, version?: string): LaunchTemplateOptions {
  const what = "launch template document";
  if (!isRecord(document)) throw invalid(what, "expected the JSON of aws ec2 describe-launch-template-versions.");
  const versions: unknown[] = Array.isArray(document.LaunchTemplateVersions)
    ? document.LaunchTemplateVersions
    : isRecord(document.LaunchTemplateVersion)
      ? [document.LaunchTemplateVersion]
      : [document];
  const records = versions.filter(isRecord);
  let chosen: Record<string, unknown> | undefined;
  if (version === "$Latest") chosen = [...records].sort((a, b) => Number(b.VersionNumber) - Number(a.VersionNumber))[0];
  else if (version !== undefined && version !== "$Default") chosen = records.find((v) => String(v.VersionNumber) === version);
  else chosen = records.length === 1 ? records[0] : records.find((v) => v.DefaultVersion === true);
  if (chosen === undefined) {
    throw invalid(what, version === undefined ? `found ${records.length} versions and none is the default; pass --template-version.` : `no version ${version}.`);
  }
  const data = chosen.LaunchTemplateData;
  return {
    input: metadataOptions(isRecord(data) ? data.MetadataOptions : undefined, what),
    templateId: typeof chosen.LaunchTemplateId === "string" ? chosen.LaunchTemplateId : "lt-unknown",
    templateName: typeof chosen.LaunchTemplateName === "string" ? chosen.LaunchTemplateName : "unnamed",
    version: Number(chosen.VersionNumber ?? 1),
  };
}

export function readAccountDefaults(document: unknown): AccountMetadataDefaults {
  const what = "account defaults document";
  if (!isRecord(document)) throw invalid(what, "expected the JSON of aws ec2 get-instance-metadata-defaults.");
  const level = isRecord(document.AccountLevel) ? document.AccountLevel : document;
  const params = [...ACCOUNT_LEVEL_FIELDS.map((f) => METADATA_OPTION_NAMES[f].param), PARAM_HTTP_TOKENS_ENFORCED];
  const change = parseAccountDefaultsChange(Object.fromEntries(params.map((p) => [p, wire(level[p])])));
  // ManagedBy only changes who may modify the defaults, not what they resolve to.
  return modifyAccountDefaults(NO_ACCOUNT_DEFAULTS, change);
}

export function readLaunchParameters(document: unknown): MetadataOptionsInput {
  const what = "launch parameters";
  if (!isRecord(document)) throw invalid(what, 'expected RunInstances MetadataOptions as JSON, e.g. {"HttpTokens":"optional"}.');
  return metadataOptions(isRecord(document.MetadataOptions) ? document.MetadataOptions : document, what);
}
