/**
 * The governance in force: access keys, identity policies and SCPs, held in memory. The file is
 * read at every start and the admin API changes it until the next; declarative policies are
 * applied to the account defaults in the store (they persist like any account setting).
 */
import type { Policy } from "../domain/policy/policy-document.ts";
import { parsePolicyDocument } from "../domain/policy/policy-document.ts";
import type { AccessKey, AccountScps, ConditionKeyValues, GovernanceConfig } from "./governance-config.ts";

/**
 * AWS Organizations attaches this SCP to every root, OU and account when SCPs are enabled
 * (Organizations User Guide, "FullAWSAccess"); without it every action is implicitly denied.
 */
export const FULL_AWS_ACCESS: Policy = parsePolicyDocument(
  { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  "FullAWSAccess",
);

export class GovernanceState {
  conditionKeyValues: ConditionKeyValues = "requested";
  private readonly keys = new Map<string, AccessKey>();
  private readonly identity = new Map<string, readonly Policy[]>();
  private readonly scps = new Map<string, AccountScps>();

  /** Merges a config: keys, principals and accounts it names replace what was there. */
  apply(config: GovernanceConfig): void {
    if (config.conditionKeyValues !== undefined) this.conditionKeyValues = config.conditionKeyValues;
    for (const key of config.accessKeys) this.keys.set(key.accessKeyId, key);
    for (const [arn, policies] of config.identityPolicies) this.identity.set(arn, policies);
    for (const [account, scps] of config.scps) this.scps.set(account, scps);
  }

  /** Forgets keys and policies (declarative policies live in the account defaults). */
  clear(): void {
    this.conditionKeyValues = "requested";
    this.keys.clear();
    this.identity.clear();
    this.scps.clear();
  }

  accessKey(accessKeyId: string): AccessKey | undefined {
    return this.keys.get(accessKeyId);
  }

  putAccessKey(key: AccessKey): void {
    this.keys.set(key.accessKeyId, key);
  }

  deleteAccessKey(accessKeyId: string): boolean {
    return this.keys.delete(accessKeyId);
  }

  /** Undefined when no identity policy is configured for this principal: it is not governed. */
  identityPoliciesFor(principalArn: string): readonly Policy[] | undefined {
    return this.identity.get(principalArn);
  }

  setIdentityPolicies(principalArn: string, policies: readonly Policy[] | undefined): void {
    if (policies === undefined) this.identity.delete(principalArn);
    else this.identity.set(principalArn, policies);
  }

  /** The account's SCPs with FullAWSAccess first unless detached; undefined when it has none. */
  scpsFor(accountId: string): readonly Policy[] | undefined {
    const entry = this.scps.get(accountId);
    if (entry === undefined) return undefined;
    return entry.fullAwsAccess ? [FULL_AWS_ACCESS, ...entry.policies] : entry.policies;
  }

  setScps(accountId: string, scps: AccountScps | undefined): void {
    if (scps === undefined) this.scps.delete(accountId);
    else this.scps.set(accountId, scps);
  }

  /** True when some policy is configured: until then authorization is skipped entirely. */
  hasPolicies(): boolean {
    return this.identity.size > 0 || this.scps.size > 0;
  }

  /** What GET /_imds-lab/governance shows: secrets are never echoed. */
  snapshot(): unknown {
    return {
      conditionKeyValues: this.conditionKeyValues,
      accessKeys: [...this.keys.values()].map((k) => ({ accessKeyId: k.accessKeyId, accountId: k.accountId, principalArn: k.principalArn })),
      identityPolicies: Object.fromEntries([...this.identity].map(([arn, list]) => [arn, list.map((p) => ({ name: p.name, document: p.document }))])),
      scps: Object.fromEntries(
        [...this.scps].map(([account, entry]) => [account, { fullAwsAccess: entry.fullAwsAccess, policies: entry.policies.map((p) => ({ name: p.name, document: p.document })) }]),
      ),
    };
  }
}
