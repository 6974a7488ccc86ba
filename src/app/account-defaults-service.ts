/**
 * Account-level IMDS defaults per account and Region: what the account sets with
 * ModifyInstanceMetadataDefaults, and what an AWS Organizations declarative policy imposes over it.
 */
import {
  modifyAccountDefaults,
  type AccountDefaultsChange,
  type AccountMetadataDefaults,
} from "../domain/options/account-defaults.ts";
import { parseDeclarativePolicy } from "../domain/options/declarative-policy.ts";
import type { AccountDefaultsRepository } from "./ports.ts";

export class AccountDefaultsService {
  constructor(private readonly store: AccountDefaultsRepository) {}

  /** Every account and Region that has defaults set (the audit and the dashboard walk these). */
  scopes(): { accountId: string; region: string; defaults: AccountMetadataDefaults }[] {
    return this.store.accountDefaultsScopes();
  }

  get(accountId: string, region: string): AccountMetadataDefaults {
    return this.store.accountDefaults(accountId, region);
  }

  /** Refused with UnsupportedOperation while a declarative policy manages the defaults. */
  modify(accountId: string, region: string, change: AccountDefaultsChange): AccountMetadataDefaults {
    const next = modifyAccountDefaults(this.get(accountId, region), change);
    this.store.setAccountDefaults(accountId, region, next);
    return next;
  }

  /**
   * Attaches a declarative policy (AWS Organizations JSON, as text or parsed) to one account and
   * Region: its values replace the account's defaults and the account can no longer change them.
   * A malformed policy throws MalformedPolicyDocumentException and changes nothing.
   */
  setDeclarativePolicy(accountId: string, region: string, policyDocument: unknown): AccountMetadataDefaults {
    const imposed = parseDeclarativePolicy(policyDocument);
    this.store.setAccountDefaults(accountId, region, imposed);
    return imposed;
  }

  /**
   * Detaches the policy: the account manages its defaults again, starting from the values the
   * policy left: AWS does not say whether they revert; keeping them avoids a silent change (docs/behaviour.md#amis-and-account-defaults).
   */
  clearDeclarativePolicy(accountId: string, region: string): AccountMetadataDefaults {
    const { managedBy: _managedBy, managedExceptionMessage: _message, ...values } = this.get(accountId, region);
    const next: AccountMetadataDefaults = { ...values, managedBy: "account" };
    this.store.setAccountDefaults(accountId, region, next);
    return next;
  }
}
