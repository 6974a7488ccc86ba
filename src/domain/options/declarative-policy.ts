/**
 * AWS Organizations declarative policies for EC2, attribute `instance_metadata_defaults` (spec
 * §4.3, ORG-DP). The policy sets the account-level defaults of every account and Region it is
 * attached to, which then report managedBy=declarative-policy and can't be modified by the account.
 *
 * ```json
 * { "ec2_attributes": {
 *     "instance_metadata_defaults": {
 *       "http_tokens": { "@@assign": "required" },
 *       "http_put_response_hop_limit": { "@@assign": "4" },
 *       "http_endpoint": { "@@assign": "enabled" },
 *       "instance_metadata_tags": { "@@assign": "enabled" },
 *       "http_tokens_enforced": { "@@assign": "enabled" } },
 *     "exception_message": { "@@assign": "Ask the platform team." } } }
 * ```
 * Policies spell "no preference" `no_preference` (the EC2 API: `no-preference`). A setting the
 * policy leaves out is no preference: the policy replaces the account's defaults as a whole.
 * `http_tokens_enforced` is accepted although the Organizations page as read does not list it
 * (both choices: docs/behaviour.md#amis-and-account-defaults).
 */
import { DomainError } from "../errors.ts";
import type { AccountMetadataDefaults } from "./account-defaults.ts";
import { HOP_LIMIT_MAX, HOP_LIMIT_MIN } from "./metadata-options.ts";

/** What AWS Organizations answers a policy it can't accept with. */
export const MALFORMED_POLICY = "MalformedPolicyDocumentException";
export const POLICY_NO_PREFERENCE = "no_preference";
const ASSIGN = "@@assign";
const ROOT = "ec2_attributes";
const ATTRIBUTE = "instance_metadata_defaults";
const EXCEPTION_MESSAGE = "exception_message";

const SETTINGS = {
  http_tokens: ["required", "optional"],
  http_put_response_hop_limit: [],
  http_endpoint: ["enabled", "disabled"],
  instance_metadata_tags: ["enabled", "disabled"],
  http_tokens_enforced: ["enabled", "disabled"],
} as const satisfies Record<string, readonly string[]>;
type Setting = keyof typeof SETTINGS;

function malformed(message: string): DomainError {
  return new DomainError(MALFORMED_POLICY, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) throw malformed(`${path} must be a JSON object.`);
  return value;
}

/** `{ "@@assign": "..." }`: the only operator EC2 declarative policies use. */
function assigned(value: unknown, path: string): string | number {
  const node = objectAt(value, path);
  const operators = Object.keys(node);
  const other = operators.find((op) => op !== ASSIGN);
  if (other !== undefined) throw malformed(`${path} uses ${other}; declarative policies for EC2 support only ${ASSIGN}.`);
  const raw = node[ASSIGN];
  if (typeof raw !== "string" && typeof raw !== "number") throw malformed(`${path} must be { "${ASSIGN}": "<value>" }.`);
  return raw;
}

function parseEnum(raw: string | number, setting: Setting, path: string): string | undefined {
  if (raw === POLICY_NO_PREFERENCE) return undefined;
  const allowed: readonly string[] = SETTINGS[setting];
  if (typeof raw === "string" && allowed.includes(raw)) return raw;
  const hint = raw === "no-preference" ? ` Declarative policies spell it ${POLICY_NO_PREFERENCE}.` : "";
  throw malformed(`${path} can't be '${raw}'; expected one of ${[...allowed, POLICY_NO_PREFERENCE].join(", ")}.${hint}`);
}

/** "-1" (no preference) or "1".."64", as a string in the policy; a JSON integer is accepted too. */
function parseHopLimit(raw: string | number, path: string): number | undefined {
  const text = String(raw);
  const value = /^-?[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (value === -1) return undefined;
  if (Number.isInteger(value) && value >= HOP_LIMIT_MIN && value <= HOP_LIMIT_MAX) return value;
  throw malformed(`${path} can't be '${text}'; expected "-1" (no preference) or an integer from ${HOP_LIMIT_MIN} to ${HOP_LIMIT_MAX}.`);
}

/**
 * A policy document (JSON text or parsed) -> the account defaults it imposes, or a
 * MalformedPolicyDocumentException naming the offending path. Other `ec2_attributes` (image block
 * public access, serial console, ...) are left alone: they govern other EC2 settings.
 */
export function parseDeclarativePolicy(document: unknown): AccountMetadataDefaults {
  let root: unknown = document;
  if (typeof document === "string") {
    try {
      root = JSON.parse(document);
    } catch (err) {
      throw malformed(`The policy is not valid JSON: ${(err as Error).message}`);
    }
  }
  const attributes = objectAt(objectAt(root, "The policy")[ROOT], ROOT);
  if (!Object.hasOwn(attributes, ATTRIBUTE)) throw malformed(`The policy has no ${ROOT}.${ATTRIBUTE}.`);
  const settings = objectAt(attributes[ATTRIBUTE], `${ROOT}.${ATTRIBUTE}`);
  const out: { -readonly [K in keyof AccountMetadataDefaults]: AccountMetadataDefaults[K] } = { managedBy: "declarative-policy" };
  for (const [name, value] of Object.entries(settings)) {
    const path = `${ROOT}.${ATTRIBUTE}.${name}`;
    if (!Object.hasOwn(SETTINGS, name)) {
      throw malformed(`${path} is not a setting of ${ATTRIBUTE}; expected ${Object.keys(SETTINGS).join(", ")}.`);
    }
    const setting = name as Setting;
    const raw = assigned(value, path);
    if (setting === "http_put_response_hop_limit") {
      const hop = parseHopLimit(raw, path);
      if (hop !== undefined) out.httpPutResponseHopLimit = hop;
      continue;
    }
    const parsed = parseEnum(raw, setting, path);
    if (parsed === undefined) continue;
    if (setting === "http_tokens") out.httpTokens = parsed as "required" | "optional";
    else if (setting === "http_endpoint") out.httpEndpoint = parsed as "enabled" | "disabled";
    else if (setting === "instance_metadata_tags") out.instanceMetadataTags = parsed as "enabled" | "disabled";
    else out.httpTokensEnforced = parsed as "enabled" | "disabled";
  }
  if (Object.hasOwn(attributes, EXCEPTION_MESSAGE)) {
    const message = assigned(attributes[EXCEPTION_MESSAGE], `${ROOT}.${EXCEPTION_MESSAGE}`);
    if (typeof message !== "string") throw malformed(`${ROOT}.${EXCEPTION_MESSAGE} must be a string.`);
    if (message !== "") out.managedExceptionMessage = message;
  }
  return out;
}
