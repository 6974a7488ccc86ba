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
 *   not documented (docs/behaviour.md#error-wording); we reuse its sibling's.
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
import {
  ACCOUNT_LEVEL_FIELDS,
  METADATA_OPTION_FIELDS,
  METADATA_OPTION_NAMES,
  type AccountLevelField,
  type AccountLevelParam,
  type MetadataOptionField,
  type MetadataOptionParam,
} from "./metadata-option-names.ts";

/** ModifyInstanceMetadataDefaults' own field beside the account-level options. */
export const PARAM_HTTP_TOKENS_ENFORCED = "HttpTokensEnforced";

/** Instance-level option fields by their Query wire names. */
export type RawMetadataOptions = { readonly [P in MetadataOptionParam]?: string | undefined };

/** ModifyInstanceMetadataDefaults fields by their Query wire names. */
export type RawAccountDefaultsRequest = { readonly [P in AccountLevelParam | typeof PARAM_HTTP_TOKENS_ENFORCED]?: string | undefined };

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
 * (same enums, EC2 API reference). Only the fields given appear in the result, so a template stores and echoes
 * exactly what it was given.
 */
export function parseMetadataOptionsInput(raw: RawMetadataOptions): MetadataOptionsInput {
  const out: Record<string, unknown> = {};
  // Checked in the table's order, so the first invalid field is the one EC2 names.
  for (const field of METADATA_OPTION_FIELDS) {
    const { param } = METADATA_OPTION_NAMES[field];
    const value = INSTANCE_PARSERS[field](param, raw[param]);
    if (value !== undefined) out[field] = value;
  }
  return out as MetadataOptionsInput;
}

/**
 * ModifyInstanceMetadataOptions: the same fields, each optional ("If this parameter is not
 * specified, the existing state is maintained", EC2 API reference), but a call that names none is refused.
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
  const out: Record<string, unknown> = {};
  for (const field of ACCOUNT_LEVEL_FIELDS) {
    const { param } = METADATA_OPTION_NAMES[field];
    const value = ACCOUNT_PARSERS[field](param, raw[param]);
    if (value !== undefined) out[field] = value;
  }
  const httpTokensEnforced = parseEnum(PARAM_HTTP_TOKENS_ENFORCED, raw.HttpTokensEnforced, HTTP_TOKENS_ENFORCED);
  if (httpTokensEnforced !== undefined) out.httpTokensEnforced = httpTokensEnforced;
  return out as AccountDefaultsChange;
}

type FieldParser<T> = (param: string, raw: string | undefined) => T | undefined;

/** How each option's value is read; a new option without a parser does not compile. */
const INSTANCE_PARSERS: { readonly [F in MetadataOptionField]: FieldParser<MetadataOptionsInput[F]> } = {
  httpTokens: (param, raw) => parseEnum(param, raw, HTTP_TOKENS),
  httpPutResponseHopLimit: (_param, raw) => parseHopLimit(raw, false),
  httpEndpoint: (param, raw) => parseEnum(param, raw, ENDPOINT_STATES),
  httpProtocolIpv6: (param, raw) => parseEnum(param, raw, ENDPOINT_STATES),
  instanceMetadataTags: (param, raw) => parseEnum(param, raw, ENDPOINT_STATES),
};

const ACCOUNT_PARSERS: { readonly [F in AccountLevelField]: FieldParser<AccountDefaultsChange[F]> } = {
  httpTokens: (param, raw) => parseEnum(param, raw, ACCOUNT_HTTP_TOKENS),
  httpPutResponseHopLimit: (_param, raw) => parseHopLimit(raw, true),
  httpEndpoint: (param, raw) => parseEnum(param, raw, ACCOUNT_ENDPOINT_STATES),
  instanceMetadataTags: (param, raw) => parseEnum(param, raw, ACCOUNT_ENDPOINT_STATES),
};

/** Enum values are matched exactly, case included, as the EC2 API reference lists them. */
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
