/**
 * Account-level IMDS defaults, one set per Region (GetInstanceMetadataDefaults /
 * ModifyInstanceMetadataDefaults, EC2 API 2016-11-15). An absent field means "no preference": EC2
 * never echoes a no-preference value, so absence is the only representation of it here.
 */
import { DomainError } from "../errors.ts";
import type { EndpointState, HttpTokens } from "./metadata-options.ts";

export const NO_PREFERENCE = "no-preference";
export type NoPreference = typeof NO_PREFERENCE;

/** The request wire value of HttpPutResponseHopLimit that clears the account default. */
export const HOP_LIMIT_NO_PREFERENCE = -1;

export type HttpTokensEnforcedState = "enabled" | "disabled";
export type ManagedBy = "account" | "declarative-policy";

export interface AccountMetadataDefaults {
  readonly httpTokens?: HttpTokens;
  readonly httpPutResponseHopLimit?: number;
  readonly httpEndpoint?: EndpointState;
  readonly instanceMetadataTags?: EndpointState;
  readonly httpTokensEnforced?: HttpTokensEnforcedState;
  readonly managedBy: ManagedBy;
  readonly managedExceptionMessage?: string;
}

/**
 * A ModifyInstanceMetadataDefaults request after parsing. `undefined` keeps the current value;
 * "no-preference" (hop limit -1) clears it. There is no account-level HttpProtocolIpv6 (EC2 API reference,
 * ModifyInstanceMetadataDefaults).
 */
export interface AccountDefaultsChange {
  readonly httpTokens?: HttpTokens | NoPreference;
  readonly httpPutResponseHopLimit?: number;
  readonly httpEndpoint?: EndpointState | NoPreference;
  readonly instanceMetadataTags?: EndpointState | NoPreference;
  readonly httpTokensEnforced?: HttpTokensEnforcedState | NoPreference;
}

/** A Region where nobody has called ModifyInstanceMetadataDefaults. */
export const NO_ACCOUNT_DEFAULTS: AccountMetadataDefaults = Object.freeze({ managedBy: "account" });

/**
 * The model says a declarative policy's defaults "can't be modified by the account"; the error
 * code and wording are not documented, so this is our choice (docs/behaviour.md#amis-and-account-defaults),
 * carrying the policy's exception_message as "Custom error messages" of
 * docs/sources.md#declarative-policies-aws-organizations describes.
 */
export function declarativePolicyMessage(custom: string | undefined): string {
  const base =
    "The instance metadata defaults for this account and Region are managed by a declarative policy " +
    "and can't be modified by the account.";
  return custom === undefined || custom === "" ? base : `${base} ${custom}`;
}

export function modifyAccountDefaults(
  current: AccountMetadataDefaults,
  change: AccountDefaultsChange,
): AccountMetadataDefaults {
  if (current.managedBy === "declarative-policy") {
    throw new DomainError("UnsupportedOperation", declarativePolicyMessage(current.managedExceptionMessage));
  }
  const next: {
    -readonly [K in keyof AccountMetadataDefaults]: AccountMetadataDefaults[K];
  } = { managedBy: current.managedBy };
  const httpTokens = merge(current.httpTokens, change.httpTokens);
  const hopLimit =
    change.httpPutResponseHopLimit === HOP_LIMIT_NO_PREFERENCE
      ? undefined
      : (change.httpPutResponseHopLimit ?? current.httpPutResponseHopLimit);
  const httpEndpoint = merge(current.httpEndpoint, change.httpEndpoint);
  const instanceMetadataTags = merge(current.instanceMetadataTags, change.instanceMetadataTags);
  const httpTokensEnforced = merge(current.httpTokensEnforced, change.httpTokensEnforced);
  // Absent keys rather than `key: undefined`, so a stored or echoed record never names a field
  // that has no preference.
  if (httpTokens !== undefined) next.httpTokens = httpTokens;
  if (hopLimit !== undefined) next.httpPutResponseHopLimit = hopLimit;
  if (httpEndpoint !== undefined) next.httpEndpoint = httpEndpoint;
  if (instanceMetadataTags !== undefined) next.instanceMetadataTags = instanceMetadataTags;
  if (httpTokensEnforced !== undefined) next.httpTokensEnforced = httpTokensEnforced;
  if (current.managedExceptionMessage !== undefined) next.managedExceptionMessage = current.managedExceptionMessage;
  return next;
}

function merge<T extends string>(current: T | undefined, change: T | NoPreference | undefined): T | undefined {
  if (change === undefined) return current;
  if (change === NO_PREFERENCE) return undefined;
  return change;
}
