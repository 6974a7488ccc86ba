import type { AppContext, Feature } from "../app/app-context.ts";
import type { Authenticator, Authorizer } from "../ec2/query-api.ts";
import type { AccountIdResolver } from "../ec2/request-context.ts";

/** Authentication (SigV4), IAM/SCP policies and declarative policies (issue: explain and govern). */
export interface GovernFeature extends Feature {
  readonly authorize?: Authorizer;
  readonly authenticate?: Authenticator;
  /** Which account an access key belongs to; absent, every key is the default account. */
  readonly resolveAccountId?: AccountIdResolver;
}

export function createGovernFeature(_ctx: AppContext): GovernFeature {
  return {};
}
