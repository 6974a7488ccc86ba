import type { AppContext, Feature } from "../app/app-context.ts";
import type { Authenticator, Authorizer, RawQueryRequest } from "../ec2/query-api.ts";
import type { AccountIdResolver } from "../ec2/request-context.ts";
import type { ApiRoute } from "../api/api-server.ts";
import { AssumedRoleSessions } from "./assumed-role-sessions.ts";
import { createAuthorizer } from "./authorizer.ts";
import { readGovernanceFile, type ConfigDefaults, type GovernanceConfig } from "./governance-config.ts";
import { governanceRoutes } from "./governance-routes.ts";
import { GovernanceState } from "./governance-state.ts";
import { Principals } from "./principals.ts";
import { verifySigV4 } from "./sigv4-verifier.ts";
import { servedRegions } from "../domain/regions.ts";
import { createOrganizationsRoute, isOrganizationsRequest } from "./organizations-endpoint.ts";
import { PATH_STS, routeKey } from "../api/control-paths.ts";
import { createStsRoute } from "./sts-endpoint.ts";

/** Authentication (SigV4), IAM/SCP policies and declarative policies (issue: explain and govern). */
export interface GovernFeature extends Feature {
  readonly authorize?: Authorizer;
  readonly authenticate?: Authenticator;
  /** Verifies a SigV4-signed control-API request and names the signer's account (admin gate). */
  readonly signedAccount?: (request: RawQueryRequest) => Promise<string>;
  /** Which account an access key belongs to; absent, every key is the default account. */
  readonly resolveAccountId?: AccountIdResolver;
  /** SigV4 verification for another signing name (`monitoring`), with `--auth=verify`. */
  readonly authenticateFor?: (service: string) => Authenticator;
  /** STS (Version 2011-06-15) and Organizations on the API endpoint itself, besides EC2. */
  readonly awsServices: readonly { accepts(req: Parameters<ApiRoute>[0], path: string, body: Buffer): boolean; readonly route: ApiRoute }[];
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
  const sessions = new AssumedRoleSessions(ctx.random);
  const principals = new Principals({ state, credentials: ctx.credentials, instance: (id) => ctx.app.instances.get(id), defaultAccountId: settings.accountId, sessions });
  const accountDefaults = ctx.app.defaults;
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
  const servesRegion = servedRegions(settings.region);
  const authenticateFor = (service: string): Authenticator => async (request) => {
    await verifySigV4(request, { service, nowMs: ctx.clock.nowMs(), secretFor: (id) => principals.secretFor(id), servesRegion });
  };
  const authenticate = authenticateFor("ec2");
  const sts = createStsRoute({ state, principals, verify, nowMs: () => ctx.clock.nowMs(), defaultRegion: settings.region, sessions });
  const organizations = createOrganizationsRoute({
    managementAccountId: settings.accountId,
    knownAccounts: () => [
      ...ctx.app.instances.all().map((d) => d.record.accountId),
      ...ctx.app.defaults.scopes().map((s) => s.accountId),
      ...sessions.accounts(),
    ],
    startedMs: ctx.clock.nowMs(),
    ...(verify ? { authenticate: authenticateFor("organizations") } : {}),
  });
  return {
    authorize: createAuthorizer({ state, principals, catalogue: ctx.app.catalogue, templates: ctx.app.templates, instance: (id) => ctx.app.instances.get(id) }),
    ...(verify ? { authenticate, authenticateFor } : {}),
    signedAccount: async (request) =>
      principals.accountOf(await verifySigV4(request, { service: "ec2", nowMs: ctx.clock.nowMs(), secretFor: (id) => principals.secretFor(id), servesRegion })),
    resolveAccountId: (accessKeyId) => principals.accountOf(accessKeyId),
    routes: [
      ...governanceRoutes({ state, explain: ctx.app.explain, accountDefaults, defaults, attachDeclarativePolicies }),
      [routeKey("POST", PATH_STS), sts],
    ],
    awsServices: [
      { accepts: (req, _path, body) => isStsForm(req, body), route: sts },
      { accepts: (req) => isOrganizationsRequest(req), route: organizations },
    ],
  };
}

/** STS's Query API on `POST /`: told from EC2's by its Version. */
function isStsForm(req: Parameters<ApiRoute>[0], body: Buffer): boolean {
  const url = req.url ?? "/";
  const form = new URLSearchParams(body.length > 0 ? body.toString("utf8") : url.slice(url.indexOf("?") + 1));
  return form.get("Version") === "2011-06-15";
}
