/**
 * Parse at the boundary: EC2 Query form fields (string | undefined, already stripped of their
 * `MetadataOptions.` / `LaunchTemplateData.MetadataOptions.` prefix) become typed option inputs, or
 * a DomainError with EC2's code. Absent means "not given"; an empty string is a given, invalid
 * value, as real EC2 treats it (see ENUM message below).
 *
 * Sources for the wording (real EC2 answers, quoted in public issue threads):
 * - Enum: `InvalidParameterValue: A value of '' is not valid for HttpEndpoint. Specify either
 *   'enabled' or 'disabled' and try again.` from RunInstances, hashicorp/terraform-provider-aws#25547.
 *   The same sentence is used for HttpTokens, HttpProtocolIpv6 and InstanceMetadataTags, and with
 *   three choices for the account-level enums; those variants are our extrapolation.
 * - Integer: EC2's "Value (x) for parameter y is invalid. <why>" form, e.g. `Value (ig-...) for
 *   parameter instanceId is invalid. Expected: 'i-...'.` (aws/aws-cli#2389) and `Value ( 1 ) for
 *   parameter maxResults is invalid. Expecting a value greater than 5.` (aws/aws-sdk-ruby#2575).
 *   The hop-limit sentences themselves are not observed; they follow that form.
 * - Nothing to modify: ModifyInstanceAttribute answers `InvalidParameterCombination: No attributes
 *   specified.` (ansible-collections/amazon.aws#470). ModifyInstanceMetadataOptions' own answer is
 *   unconfirmed (spec §9 q12); we reuse its sibling's.
 */
import { DomainError } from "../errors.ts";
import {
  ENDPOINT_STATES,
  HOP_LIMIT_MAX,
  HOP_LIMIT_MIN,
  HTTP_TOKENS,
  isValidHopLimit,
  type MetadataOptionsInput,
} from "./metadata-options.ts";
import { HOP_LIMIT_NO_PREFERENCE, NO_PREFERENCE, type AccountDefaultsChange } from "./account-defaults.ts";

/** Instance-level option fields by their Query wire names. */
export interface RawMetadataOptions {
  readonly HttpTokens?: string | undefined;
  readonly HttpPutResponseHopLimit?: string | undefined;
  readonly HttpEndpoint?: string | undefined;
  readonly HttpProtocolIpv6?: string | undefined;
  readonly InstanceMetadataTags?: string | undefined;
}

/** ModifyInstanceMetadataDefaults fields by their Query wire names. */
export interface RawAccountDefaultsRequest {
  readonly HttpTokens?: string | undefined;
  readonly HttpPutResponseHopLimit?: string | undefined;
  readonly HttpEndpoint?: string | undefined;
  readonly InstanceMetadataTags?: string | undefined;
  readonly HttpTokensEnforced?: string | undefined;
}

const ACCOUNT_HTTP_TOKENS = [...HTTP_TOKENS, NO_PREFERENCE] as const;
const ACCOUNT_ENDPOINT_STATES = [...ENDPOINT_STATES, NO_PREFERENCE] as const;
const HTTP_TOKENS_ENFORCED = ["enabled", "disabled", NO_PREFERENCE] as const;

export function invalidEnumMessage(parameter: string, raw: string, allowed: readonly string[]): string {
  const quoted = allowed.map((v) => `'${v}'`);
  const choices =
    quoted.length === 2
      ? `either ${quoted[0]} or ${quoted[1]}`
      : `one of ${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
  return `A value of '${raw}' is not valid for ${parameter}. Specify ${choices} and try again.`;
}

export function invalidHopLimitMessage(raw: string, allowNoPreference: boolean): string {
  const expecting = allowNoPreference
    ? `-1 (no preference) or a value between ${HOP_LIMIT_MIN} and ${HOP_LIMIT_MAX}`
    : `a value between ${HOP_LIMIT_MIN} and ${HOP_LIMIT_MAX}`;
  return `Value (${raw}) for parameter httpPutResponseHopLimit is invalid. Expecting ${expecting}.`;
}

export const NO_OPTIONS_TO_MODIFY_MESSAGE = "No attributes specified.";

/**
 * RunInstances `MetadataOptions.*` and launch templates' `LaunchTemplateData.MetadataOptions.*`
 * (same enums, MODEL). Only the fields given appear in the result, so a template stores and echoes
 * exactly what it was given.
 */
export function parseMetadataOptionsInput(raw: RawMetadataOptions): MetadataOptionsInput {
  const out: { -readonly [K in keyof MetadataOptionsInput]: MetadataOptionsInput[K] } = {};
  const httpTokens = parseEnum("HttpTokens", raw.HttpTokens, HTTP_TOKENS);
  const hopLimit = parseHopLimit(raw.HttpPutResponseHopLimit, false);
  const httpEndpoint = parseEnum("HttpEndpoint", raw.HttpEndpoint, ENDPOINT_STATES);
  const httpProtocolIpv6 = parseEnum("HttpProtocolIpv6", raw.HttpProtocolIpv6, ENDPOINT_STATES);
  const instanceMetadataTags = parseEnum("InstanceMetadataTags", raw.InstanceMetadataTags, ENDPOINT_STATES);
  if (httpTokens !== undefined) out.httpTokens = httpTokens;
  if (hopLimit !== undefined) out.httpPutResponseHopLimit = hopLimit;
  if (httpEndpoint !== undefined) out.httpEndpoint = httpEndpoint;
  if (httpProtocolIpv6 !== undefined) out.httpProtocolIpv6 = httpProtocolIpv6;
  if (instanceMetadataTags !== undefined) out.instanceMetadataTags = instanceMetadataTags;
  return out;
}

/**
 * ModifyInstanceMetadataOptions: the same fields, each optional ("If this parameter is not
 * specified, the existing state is maintained", MODEL), but a call that names none is refused.
 */
export function parseMetadataOptionsModification(raw: RawMetadataOptions): MetadataOptionsInput {
  const change = parseMetadataOptionsInput(raw);
  if (Object.keys(change).length === 0) {
    throw new DomainError("InvalidParameterCombination", NO_OPTIONS_TO_MODIFY_MESSAGE);
  }
  return change;
}

/**
 * ModifyInstanceMetadataDefaults: every field also accepts "no-preference" (hop limit -1). A call
 * naming no field is accepted as a no-op: nothing says EC2 refuses it, and it changes nothing.
 */
export function parseAccountDefaultsChange(raw: RawAccountDefaultsRequest): AccountDefaultsChange {
  const out: { -readonly [K in keyof AccountDefaultsChange]: AccountDefaultsChange[K] } = {};
  const httpTokens = parseEnum("HttpTokens", raw.HttpTokens, ACCOUNT_HTTP_TOKENS);
  const hopLimit = parseHopLimit(raw.HttpPutResponseHopLimit, true);
  const httpEndpoint = parseEnum("HttpEndpoint", raw.HttpEndpoint, ACCOUNT_ENDPOINT_STATES);
  const instanceMetadataTags = parseEnum("InstanceMetadataTags", raw.InstanceMetadataTags, ACCOUNT_ENDPOINT_STATES);
  const httpTokensEnforced = parseEnum("HttpTokensEnforced", raw.HttpTokensEnforced, HTTP_TOKENS_ENFORCED);
  if (httpTokens !== undefined) out.httpTokens = httpTokens;
  if (hopLimit !== undefined) out.httpPutResponseHopLimit = hopLimit;
  if (httpEndpoint !== undefined) out.httpEndpoint = httpEndpoint;
  if (instanceMetadataTags !== undefined) out.instanceMetadataTags = instanceMetadataTags;
  if (httpTokensEnforced !== undefined) out.httpTokensEnforced = httpTokensEnforced;
  return out;
}

/** Enum values are matched exactly, case included, as the MODEL lists them. */
function parseEnum<T extends string>(parameter: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  const found = allowed.find((v) => v === raw);
  if (found === undefined) throw new DomainError("InvalidParameterValue", invalidEnumMessage(parameter, raw, allowed));
  return found;
}

/**
 * Read like Java's Integer.parseInt (optional sign, ASCII digits only): no spaces, decimals or
 * exponents, so " 2", "2.5" and "1e1" are refused rather than coerced as Number() would.
 */
const INTEGER = /^[+-]?[0-9]+$/;

function parseHopLimit(raw: string | undefined, allowNoPreference: boolean): number | undefined {
  if (raw === undefined) return undefined;
  const value = INTEGER.test(raw) ? Number(raw) : Number.NaN;
  if (isValidHopLimit(value)) return value;
  if (allowNoPreference && value === HOP_LIMIT_NO_PREFERENCE) return HOP_LIMIT_NO_PREFERENCE;
  throw new DomainError("InvalidParameterValue", invalidHopLimitMessage(raw, allowNoPreference));
}
