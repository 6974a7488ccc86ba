import type { AppContext, Feature } from "../app/app-context.ts";
import type { Authenticator, Authorizer } from "../ec2/query-api.ts";
import type { AccountIdResolver } from "../ec2/request-context.ts";
import { AccountDefaultsService } from "../services/account-defaults-service.ts";
import { createAuthorizer } from "./authorizer.ts";
import { readGovernanceFile, type ConfigDefaults, type GovernanceConfig } from "./governance-config.ts";
import { governanceRoutes } from "./governance-routes.ts";
import { GovernanceState } from "./governance-state.ts";
import { Principals } from "./principals.ts";
import { verifySigV4 } from "./sigv4-verifier.ts";
import { PATH_STS, routeKey } from "../api/control-paths.ts";
import { createStsRoute } from "./sts-endpoint.ts";

/** Authentication (SigV4), IAM/SCP policies and declarative policies (issue: explain and govern). */
export interface GovernFeature extends Feature {
  readonly authorize?: Authorizer;
  readonly authenticate?: Authenticator;
  /** Which account an access key belongs to; absent, every key is the default account. */
  readonly resolveAccountId?: AccountIdResolver;
}

/**
 * Wires governance into the EC2 API: `authenticate` only with `--auth=verify` (off by default
 * for quick starts), `authorize` always (it allows everything until a policy is configured),
 * accounts by access key, and the explain / governance / STS routes.
 */
export function createGovernFeature(ctx: AppContext): GovernFeature {
  const { settings } = ctx;
  const defaults: ConfigDefaults = { accountId: settings.accountId, region: settings.region };
  const state = new GovernanceState();
  const principals = new Principals({ state, credentials: ctx.credentials, estate: ctx.estate, defaultAccountId: settings.accountId });
  const accountDefaults = new AccountDefaultsService(ctx.store);
  const attachDeclarativePolicies = (config: GovernanceConfig) => {
    for (const attachment of config.declarativePolicies) {
      for (const region of attachment.regions) accountDefaults.setDeclarativePolicy(attachment.accountId, region, attachment.policy);
    }
  };
  if (settings.governanceFile !== undefined) {
    const config = readGovernanceFile(settings.governanceFile, defaults);
    state.apply(config);
    attachDeclarativePolicies(config);
  }
  const verify = settings.auth === "verify";
  const authenticate: Authenticator = async (request) => {
    await verifySigV4(request, { service: "ec2", nowMs: ctx.clock.nowMs(), secretFor: (id) => principals.secretFor(id) });
  };
  return {
    authorize: createAuthorizer({ state, principals, store: ctx.store, instance: (id) => ctx.estate.get(id) }),
    ...(verify ? { authenticate } : {}),
    resolveAccountId: (accessKeyId) => principals.accountOf(accessKeyId),
    routes: [
      ...governanceRoutes({ state, store: ctx.store, accountDefaults, defaults, attachDeclarativePolicies }),
      [routeKey("POST", PATH_STS), createStsRoute({ state, principals, verify, nowMs: () => ctx.clock.nowMs(), defaultRegion: settings.region })],
    ],
  };
}
