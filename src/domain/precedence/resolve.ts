/**
 * Launch-time resolution of the instance metadata options, as data ("Order of precedence for
 * instance metadata options", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html,
 * and docs/behaviour.md#order-of-precedence-at-launch): each option is evaluated separately, walking the levels from
 * the highest to the lowest, and the first level that sets it decides both the value and its
 * source. IMDSv2 enforcement is evaluated afterwards, on the resolved value.
 */
import { DomainError } from "../errors.ts";
import { OPTION_FIELDS, type LaunchOptionSource, type LaunchOptionSources, type OptionField } from "../instance/option-source.ts";
import type { AccountMetadataDefaults } from "../options/account-defaults.ts";
import {
  EC2_DEFAULT_OPTIONS,
  type MetadataOptions,
  type MetadataOptionsInput,
} from "../options/metadata-options.ts";

export interface LaunchTemplateOptions {
  readonly input: MetadataOptionsInput;
  readonly templateId: string;
  readonly templateName: string;
  readonly version: number;
}

export interface LaunchImage {
  readonly imageId: string;
  readonly imdsSupport: "v2.0" | null;
}

export interface LaunchOptionsRequest {
  readonly launchParameters?: MetadataOptionsInput;
  /** Who gave the launch parameters: a RunInstances call, or `imds-lab serve` flags for the default instance. */
  readonly launchParametersVia?: "ec2-api" | "serve-flags";
  readonly launchTemplate?: LaunchTemplateOptions;
  readonly account: AccountMetadataDefaults & { readonly region: string };
  readonly image: LaunchImage;
}

export interface ResolvedLaunchOptions {
  readonly options: MetadataOptions;
  readonly sources: LaunchOptionSources;
}

/** One level of the hierarchy and the fields it sets; a field it leaves unset is absent. */
export interface PrecedenceLayer {
  readonly source: LaunchOptionSource;
  readonly values: MetadataOptionsInput;
}

export { OPTION_FIELDS };

/**
 * Verbatim from the user guide's troubleshooting of IMDSv2 enforcement, which gives it for launches
 * and modifications alike (docs/behaviour.md#imdsv2-enforcement).
 */
export const HTTP_TOKENS_ENFORCED_MESSAGE =
  "You can't launch instances with IMDSv1 because httpTokensEnforced is enabled for this account. " +
  "Either launch the instance with httpTokens=required or contact your account owner to disable " +
  "httpTokensEnforced using the ModifyInstanceMetadataDefaults API or the account settings in the EC2 console.";

/**
 * ImdsSupport=v2.0 sets these two and nothing else (RegisterImage ImdsSupport,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RegisterImage.html).
 */
const AMI_V2_VALUES: MetadataOptionsInput = Object.freeze({ httpTokens: "required", httpPutResponseHopLimit: 2 });

/**
 * The levels, highest first. RunInstances and the launch template are both "instance configuration
 * at launch"; RunInstances wins per field, as explicit RunInstances parameters override a template
 * elsewhere in EC2 (docs/behaviour.md#launch-template-merge: whole-struct replacement is unconfirmed).
 */
export function launchPrecedenceLayers(request: LaunchOptionsRequest): readonly PrecedenceLayer[] {
  const { launchParameters, launchParametersVia, launchTemplate, account, image } = request;
  const layers: PrecedenceLayer[] = [];
  if (launchParameters !== undefined) {
    layers.push({
      source: { level: "launch-parameters", via: launchParametersVia ?? "ec2-api" },
      values: pickOptions(launchParameters, OPTION_FIELDS),
    });
  }
  if (launchTemplate !== undefined) {
    const { templateId, templateName, version } = launchTemplate;
    layers.push({
      source: { level: "launch-template", templateId, templateName, version },
      values: pickOptions(launchTemplate.input, OPTION_FIELDS),
    });
  }
  // No account-level HttpProtocolIpv6 exists (InstanceMetadataDefaultsResponse,
  // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataDefaultsResponse.html).
  layers.push({
    source: { level: "account-defaults", region: account.region },
    values: pickOptions(account, ["httpTokens", "httpPutResponseHopLimit", "httpEndpoint", "instanceMetadataTags"]),
  });
  if (image.imdsSupport === "v2.0") {
    layers.push({ source: { level: "ami", imageId: image.imageId }, values: AMI_V2_VALUES });
  }
  layers.push({ source: { level: "ec2-default" }, values: EC2_DEFAULT_OPTIONS });
  return layers;
}

/** Per field, the first layer that sets it. The last layer must set every field. */
export function resolveLayers(layers: readonly PrecedenceLayer[]): ResolvedLaunchOptions {
  const httpTokens = decide(layers, "httpTokens");
  const hopLimit = decide(layers, "httpPutResponseHopLimit");
  const httpEndpoint = decide(layers, "httpEndpoint");
  const httpProtocolIpv6 = decide(layers, "httpProtocolIpv6");
  const instanceMetadataTags = decide(layers, "instanceMetadataTags");
  return {
    options: {
      httpTokens: httpTokens.value,
      httpPutResponseHopLimit: hopLimit.value,
      httpEndpoint: httpEndpoint.value,
      httpProtocolIpv6: httpProtocolIpv6.value,
      instanceMetadataTags: instanceMetadataTags.value,
    },
    sources: {
      httpTokens: httpTokens.source,
      httpPutResponseHopLimit: hopLimit.source,
      httpEndpoint: httpEndpoint.source,
      httpProtocolIpv6: httpProtocolIpv6.source,
      instanceMetadataTags: instanceMetadataTags.source,
    },
  };
}

function decide<K extends keyof MetadataOptions>(
  layers: readonly PrecedenceLayer[],
  field: K,
): { value: MetadataOptions[K]; source: LaunchOptionSource } {
  for (const layer of layers) {
    const value = layer.values[field];
    if (value !== undefined) return { value, source: layer.source };
  }
  throw new Error(`no precedence layer sets ${field}`);
}

/**
 * The options an instance launches with and where each came from; throws UnsupportedOperation
 * when the account enforces IMDSv2 and the resolved HttpTokens is not "required" (the user guide's
 * note: enforcement is "evaluated after the order of precedence has determined the instance's IMDS
 * settings").
 */
export function resolveLaunchOptions(request: LaunchOptionsRequest): ResolvedLaunchOptions {
  const resolved = resolveLayers(launchPrecedenceLayers(request));
  assertLaunchAllowed(request.account, resolved.options);
  return resolved;
}

/** Enforcement on the options a launch resolved to. */
export function assertLaunchAllowed(account: AccountMetadataDefaults, resolvedOptions: MetadataOptions): void {
  if (account.httpTokensEnforced === "enabled" && resolvedOptions.httpTokens !== "required") {
    throw new DomainError("UnsupportedOperation", HTTP_TOKENS_ENFORCED_MESSAGE);
  }
}

/**
 * ModifyInstanceMetadataOptions under enforcement: only an explicit HttpTokens=optional is refused
 * with the launch message. "Existing instances that already have IMDSv1 enabled are not changed",
 * so other changes to them still pass (docs/behaviour.md#imdsv2-enforcement).
 */
export function assertModificationAllowed(account: AccountMetadataDefaults, change: MetadataOptionsInput): void {
  if (account.httpTokensEnforced === "enabled" && change.httpTokens === "optional") {
    throw new DomainError("UnsupportedOperation", HTTP_TOKENS_ENFORCED_MESSAGE);
  }
}

/** Copies only the named option fields that hold a value, ignoring any other keys the object has. */
function pickOptions(from: MetadataOptionsInput, fields: readonly OptionField[]): MetadataOptionsInput {
  const out: { -readonly [K in OptionField]?: MetadataOptions[K] } = {};
  for (const field of fields) copyField(from, out, field);
  return out;
}

function copyField<K extends OptionField>(
  from: MetadataOptionsInput,
  to: { -readonly [F in OptionField]?: MetadataOptions[F] },
  field: K,
): void {
  const value = from[field];
  if (value !== undefined) to[field] = value;
}
