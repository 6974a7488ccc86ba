/**
 * Launch-time resolution of the instance metadata options, as data (UG-OPT "Order of precedence
 * for instance metadata options", spec §3): each option is evaluated separately, walking the
 * levels from the highest to the lowest, and the first level that sets it decides both the value
 * and its source. IMDSv2 enforcement is evaluated afterwards, on the resolved value.
 */
import { DomainError } from "../errors.ts";
import type { AccountMetadataDefaults } from "../options/account-defaults.ts";
import {
  EC2_DEFAULT_OPTIONS,
  type MetadataOptions,
  type MetadataOptionsInput,
} from "../options/metadata-options.ts";

export type OptionLevel = "launch-parameters" | "launch-template" | "account-defaults" | "ami" | "ec2-default";

export interface OptionSource {
  readonly level: OptionLevel;
  /** Which object at that level, e.g. "lt-0abc (web) version 3", "us-east-1", "ami-123 ImdsSupport=v2.0". */
  readonly detail: string;
}

export type OptionSources = Record<keyof MetadataOptions, OptionSource>;

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
  readonly launchTemplate?: LaunchTemplateOptions;
  readonly account: AccountMetadataDefaults & { readonly region: string };
  readonly image: LaunchImage;
}

export interface ResolvedLaunchOptions {
  readonly options: MetadataOptions;
  readonly sources: OptionSources;
}

/** One level of the hierarchy and the fields it sets; a field it leaves unset is absent. */
export interface PrecedenceLayer {
  readonly source: OptionSource;
  readonly values: MetadataOptionsInput;
}

export const OPTION_FIELDS: readonly (keyof MetadataOptions)[] = Object.freeze([
  "httpTokens",
  "httpPutResponseHopLimit",
  "httpEndpoint",
  "httpProtocolIpv6",
  "instanceMetadataTags",
]);

/** Verbatim from UG-EXIST (troubleshooting), which UG-TS also gives for launches (spec §2.5). */
export const HTTP_TOKENS_ENFORCED_MESSAGE =
  "You can't launch instances with IMDSv1 because httpTokensEnforced is enabled for this account. " +
  "Either launch the instance with httpTokens=required or contact your account owner to disable " +
  "httpTokensEnforced using the ModifyInstanceMetadataDefaults API or the account settings in the EC2 console.";

/** ImdsSupport=v2.0 sets these two and nothing else (MODEL, RegisterImage ImdsSupport). */
const AMI_V2_VALUES: MetadataOptionsInput = Object.freeze({ httpTokens: "required", httpPutResponseHopLimit: 2 });

/**
 * The levels, highest first. RunInstances and the launch template are both "instance configuration
 * at launch"; RunInstances wins per field, as explicit RunInstances parameters override a template
 * elsewhere in EC2 (whole-struct replacement is unconfirmed, spec §9 q13).
 */
export function launchPrecedenceLayers(request: LaunchOptionsRequest): readonly PrecedenceLayer[] {
  const { launchParameters, launchTemplate, account, image } = request;
  const layers: PrecedenceLayer[] = [];
  if (launchParameters !== undefined) {
    layers.push({
      source: { level: "launch-parameters", detail: "RunInstances MetadataOptions" },
      values: pickOptions(launchParameters, OPTION_FIELDS),
    });
  }
  if (launchTemplate !== undefined) {
    const { templateId, templateName, version } = launchTemplate;
    layers.push({
      source: { level: "launch-template", detail: `${templateId} (${templateName}) version ${version}` },
      values: pickOptions(launchTemplate.input, OPTION_FIELDS),
    });
  }
  // No account-level HttpProtocolIpv6 exists (MODEL, InstanceMetadataDefaultsResponse).
  layers.push({
    source: { level: "account-defaults", detail: account.region },
    values: pickOptions(account, ["httpTokens", "httpPutResponseHopLimit", "httpEndpoint", "instanceMetadataTags"]),
  });
  if (image.imdsSupport === "v2.0") {
    layers.push({ source: { level: "ami", detail: `${image.imageId} ImdsSupport=v2.0` }, values: AMI_V2_VALUES });
  }
  layers.push({ source: { level: "ec2-default", detail: "EC2 default" }, values: EC2_DEFAULT_OPTIONS });
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
): { value: MetadataOptions[K]; source: OptionSource } {
  for (const layer of layers) {
    const value = layer.values[field];
    if (value !== undefined) return { value, source: layer.source };
  }
  throw new Error(`no precedence layer sets ${field}`);
}

/**
 * The options an instance launches with and where each came from; throws UnsupportedOperation
 * when the account enforces IMDSv2 and the resolved HttpTokens is not "required" (UG-OPT note:
 * "evaluated after the order of precedence has determined the instance's IMDS settings").
 */
export function resolveLaunchOptions(request: LaunchOptionsRequest): ResolvedLaunchOptions {
  const resolved = resolveLayers(launchPrecedenceLayers(request));
  assertHttpTokensEnforcement(request.account, resolved.options);
  return resolved;
}

/**
 * ModifyInstanceMetadataOptions under enforcement: a result with HttpTokens=optional is refused
 * with the launch message (UG-EXIST reuses it). `resultingOptions` is the instance's options after
 * the change is applied.
 */
export function checkModificationAllowed(account: AccountMetadataDefaults, resultingOptions: MetadataOptions): void {
  assertHttpTokensEnforcement(account, resultingOptions);
}

function assertHttpTokensEnforcement(account: AccountMetadataDefaults, options: MetadataOptions): void {
  if (account.httpTokensEnforced === "enabled" && options.httpTokens !== "required") {
    throw new DomainError("UnsupportedOperation", HTTP_TOKENS_ENFORCED_MESSAGE);
  }
}

/** Copies only the named option fields that hold a value, ignoring any other keys the object has. */
function pickOptions(from: MetadataOptionsInput, fields: readonly (keyof MetadataOptions)[]): MetadataOptionsInput {
  const out: { -readonly [K in keyof MetadataOptions]?: MetadataOptions[K] } = {};
  for (const field of fields) copyField(from, out, field);
  return out;
}

function copyField<K extends keyof MetadataOptions>(
  from: MetadataOptionsInput,
  to: { -readonly [F in keyof MetadataOptions]?: MetadataOptions[F] },
  field: K,
): void {
  const value = from[field];
  if (value !== undefined) to[field] = value;
}
