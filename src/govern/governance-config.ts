/**
 * The governance file (`--governance-file`, JSON or YAML) and the admin API's bodies, parsed at
 * the boundary: access keys and their principals, identity policies per principal ARN, SCPs per
 * account, declarative policies per account and Region.
 *
 * ```yaml
 * conditionKeyValues: requested        # or resolved (see docs/behaviour.md, Governance)
 * accessKeys:
 *   - { accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: wJalr…, accountId: "123456789012",
 *       principalArn: "arn:aws:iam::123456789012:user/dev" }
 * identityPolicies:
 *   "arn:aws:iam::123456789012:user/dev": [ { Version: "2012-10-17", Statement: [ … ] } ]
 * scps:
 *   "123456789012": [ { Statement: [ … ] } ]     # FullAWSAccess is attached too, as AWS does
 *   "210987654321": { fullAwsAccess: false, policies: [ … ] }
 * declarativePolicies:
 *   - { accountId: "123456789012", region: us-east-1, policy: { ec2_attributes: { … } } }
 * ```
 * A policy entry is a policy document, or `{ name, document }` to name it.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { parsePolicyDocument, type Policy } from "../domain/policy/policy-document.ts";

export const INVALID_GOVERNANCE = "InvalidGovernanceDocument";
export type ConditionKeyValues = "requested" | "resolved";

const accountId = z.string().regex(/^\d{12}$/, "an account id of 12 digits");
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region name such as us-east-1");

export const accessKeySchema = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, "16-128 upper-case letters and digits, e.g. AKIA…"),
  secretAccessKey: z.string().min(1),
  accountId: accountId.optional(),
  principalArn: z.string().startsWith("arn:").optional(),
});

const policyEntry = z.union([z.strictObject({ name: z.string().min(1), document: z.unknown() }), z.record(z.string(), z.unknown())]);
export const policyList = z.union([z.array(policyEntry), policyEntry]);
export const scpEntry = z.union([z.strictObject({ fullAwsAccess: z.boolean().default(true), policies: policyList.default([]) }), policyList]);

export const declarativePolicySchema = z.strictObject({
  accountId: accountId.optional(),
  region: region.optional(),
  regions: z.array(region).optional(),
  policy: z.unknown(),
});

const fileSchema = z.strictObject({
  conditionKeyValues: z.enum(["requested", "resolved"]).optional(),
  accessKeys: z.array(accessKeySchema).default([]),
  identityPolicies: z.record(z.string().startsWith("arn:"), policyList).default({}),
  scps: z.record(accountId, scpEntry).default({}),
  declarativePolicies: z.array(declarativePolicySchema).default([]),
});

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  readonly principalArn: string;
}

export interface AccountScps {
  readonly fullAwsAccess: boolean;
  readonly policies: readonly Policy[];
}

export interface DeclarativePolicyAttachment {
  readonly accountId: string;
  readonly regions: readonly string[];
  readonly policy: unknown;
}

export interface GovernanceConfig {
  readonly conditionKeyValues: ConditionKeyValues | undefined;
  readonly accessKeys: readonly AccessKey[];
  readonly identityPolicies: ReadonlyMap<string, readonly Policy[]>;
  readonly scps: ReadonlyMap<string, AccountScps>;
  readonly declarativePolicies: readonly DeclarativePolicyAttachment[];
}

export interface ConfigDefaults {
  readonly accountId: string;
  readonly region: string;
}

function invalid(issues: z.core.$ZodIssue[]): DomainError {
  const text = issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  return new DomainError(INVALID_GOVERNANCE, `invalid governance document: ${text}`);
}

export function parseZod<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(parsed.error.issues);
  return parsed.data;
}

/** The principal an access key acts as when the file names none: the account's root user. */
export function defaultPrincipalArn(account: string): string {
  return `arn:aws:iam::${account}:root`;
}

export function toAccessKey(raw: z.infer<typeof accessKeySchema>, defaults: ConfigDefaults): AccessKey {
  const account = raw.accountId ?? defaults.accountId;
  return { accessKeyId: raw.accessKeyId, secretAccessKey: raw.secretAccessKey, accountId: account, principalArn: raw.principalArn ?? defaultPrincipalArn(account) };
}

/** One or many policy entries -> named, parsed policies (`<prefix>#1`, … when unnamed). */
export function toPolicies(raw: z.infer<typeof policyList>, prefix: string): Policy[] {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((entry, i) => {
    const named = Object.hasOwn(entry, "document") && Object.hasOwn(entry, "name") && Object.keys(entry).length === 2;
    const name = named ? String(entry.name) : `${prefix}#${i + 1}`;
    return parsePolicyDocument(named ? entry.document : entry, name);
  });
}

export function toAccountScps(raw: z.infer<typeof scpEntry>, account: string): AccountScps {
  const isWrapped = !Array.isArray(raw) && Object.hasOwn(raw, "policies") && !Object.hasOwn(raw, "Statement");
  if (isWrapped) {
    const wrapped = raw as { fullAwsAccess: boolean; policies: z.infer<typeof policyList> };
    return { fullAwsAccess: wrapped.fullAwsAccess, policies: toPolicies(wrapped.policies, `scp-${account}`) };
  }
  return { fullAwsAccess: true, policies: toPolicies(raw as z.infer<typeof policyList>, `scp-${account}`) };
}

export function toDeclarativePolicy(raw: z.infer<typeof declarativePolicySchema>, defaults: ConfigDefaults): DeclarativePolicyAttachment {
  const regions = raw.regions ?? (raw.region === undefined ? [defaults.region] : [raw.region]);
  return { accountId: raw.accountId ?? defaults.accountId, regions, policy: raw.policy };
}

/** A governance document (parsed JSON/YAML) -> typed config; policies are parsed here too. */
export function parseGovernanceDocument(value: unknown, defaults: ConfigDefaults): GovernanceConfig {
  const raw = parseZod(fileSchema, value ?? {});
  return {
    conditionKeyValues: raw.conditionKeyValues,
    accessKeys: raw.accessKeys.map((k) => toAccessKey(k, defaults)),
    identityPolicies: new Map(Object.entries(raw.identityPolicies).map(([arn, list]) => [arn, toPolicies(list, arn.split("/").pop() ?? arn)])),
    scps: new Map(Object.entries(raw.scps).map(([account, entry]) => [account, toAccountScps(entry, account)])),
    declarativePolicies: raw.declarativePolicies.map((d) => toDeclarativePolicy(d, defaults)),
  };
}

export function readGovernanceFile(path: string, defaults: ConfigDefaults): GovernanceConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new DomainError(INVALID_GOVERNANCE, `cannot read governance file ${path}: ${(err as Error).message}`);
  }
  // YAML is a superset of JSON, so one parser reads both.
  return parseGovernanceDocument(parseYaml(text), defaults);
}
