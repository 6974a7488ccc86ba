/**
 * The admin API under /_imds-lab/: explain an instance, and read or change governance at run time
 * (bodies are JSON or YAML in the governance file's format). Changes last until the emulator
 * stops, except declarative policies, which are account settings and persist in the state file.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { sendJson, type ApiRoute } from "../api/api-server.ts";
import {
  PATH_ACCESS_KEYS as ACCESS_KEYS_PATH,
  PATH_DECLARATIVE_POLICY as DECLARATIVE_POLICY_PATH,
  PATH_EXPLAIN as EXPLAIN_PATH,
  PATH_GOVERNANCE as GOVERNANCE_PATH,
  PATH_IDENTITY_POLICIES as IDENTITY_POLICIES_PATH,
  PATH_SCPS as SCPS_PATH,
} from "../api/control-paths.ts";
import { answeringDomainErrors, CONTROL_BAD_REQUEST } from "../api/control-errors.ts";
import { DomainError } from "../domain/errors.ts";
import { callerSeesAccount } from "../api/admin-access.ts";
import type { AccountDefaultsService } from "../app/account-defaults-service.ts";
import {
  accessKeySchema,
  parseGovernanceDocument,
  parseZod,
  policyList,
  scpEntry,
  toAccessKey,
  toAccountScps,
  toPolicies,
  type ConfigDefaults,
} from "./governance-config.ts";
import type { GovernanceState } from "./governance-state.ts";
import { explainInstance } from "./explain-service.ts";
import type { ExplainService } from "../app/explain-instance.ts";

export interface RouteDeps {
  readonly state: GovernanceState;
  readonly explain: ExplainService;
  readonly accountDefaults: AccountDefaultsService;
  readonly defaults: ConfigDefaults;
  /** Attaches every declarative policy of a config (shared with start-up). */
  readonly attachDeclarativePolicies: (config: ReturnType<typeof parseGovernanceDocument>) => void;
}

const badRequest = (message: string) => new DomainError(CONTROL_BAD_REQUEST, message);

function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? "";
  return new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
}

function required(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === "") throw badRequest(`the query parameter ${name} is required`);
  return value;
}

function bodyOf(body: Buffer): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest("a JSON or YAML body is required");
  try {
    return parseYaml(text);
  } catch (err) {
    throw badRequest(`the body is not JSON or YAML: ${(err as Error).message}`);
  }
}

const handled = answeringDomainErrors;

/** A signed caller (--auth verify) sees only its own account's instances: another's is NotFound, as in EC2. */
function visibleExplanation<T extends { readonly instanceId: string; readonly accountId: string }>(req: IncomingMessage, explanation: T): T {
  if (callerSeesAccount(req, explanation.accountId)) return explanation;
  throw new DomainError("InvalidInstanceID.NotFound", `The instance ID '${explanation.instanceId}' does not exist`);
}

export function governanceRoutes(deps: RouteDeps): [string, ApiRoute][] {
  const { state, defaults } = deps;
  const showGovernance = (res: ServerResponse) => sendJson(res, 200, state.snapshot());
  const scope = (query: URLSearchParams) => ({
    accountId: query.get("accountId") ?? defaults.accountId,
    region: query.get("region") ?? defaults.region,
  });
  return [
    [`GET ${EXPLAIN_PATH}`, handled((req, res) => sendJson(res, 200, visibleExplanation(req, explainInstance(deps.explain, required(queryOf(req), "instanceId")))))],
    [`GET ${GOVERNANCE_PATH}`, handled((_req, res) => showGovernance(res))],
    [
      `PUT ${GOVERNANCE_PATH}`,
      handled((_req, res, body) => {
        const config = parseGovernanceDocument(bodyOf(body), defaults);
        state.clear();
        state.apply(config);
        deps.attachDeclarativePolicies(config);
        showGovernance(res);
      }),
    ],
    [
      `POST ${GOVERNANCE_PATH}`,
      handled((_req, res, body) => {
        const config = parseGovernanceDocument(bodyOf(body), defaults);
        state.apply(config);
        deps.attachDeclarativePolicies(config);
        showGovernance(res);
      }),
    ],
    [
      `PUT ${IDENTITY_POLICIES_PATH}`,
      handled((req, res, body) => {
        const arn = required(queryOf(req), "principalArn");
        state.setIdentityPolicies(arn, toPolicies(parseZod(policyList, bodyOf(body)), arn.split("/").pop() ?? arn));
        showGovernance(res);
      }),
    ],
    [`DELETE ${IDENTITY_POLICIES_PATH}`, handled((req, res) => (state.setIdentityPolicies(required(queryOf(req), "principalArn"), undefined), showGovernance(res)))],
    [
      `PUT ${SCPS_PATH}`,
      handled((req, res, body) => {
        const account = required(queryOf(req), "accountId");
        state.setScps(account, toAccountScps(parseZod(scpEntry, bodyOf(body)), account));
        showGovernance(res);
      }),
    ],
    [`DELETE ${SCPS_PATH}`, handled((req, res) => (state.setScps(required(queryOf(req), "accountId"), undefined), showGovernance(res)))],
    [
      `POST ${ACCESS_KEYS_PATH}`,
      handled((_req, res, body) => {
        state.putAccessKey(toAccessKey(parseZod(accessKeySchema, bodyOf(body)), defaults));
        showGovernance(res);
      }),
    ],
    [`DELETE ${ACCESS_KEYS_PATH}`, handled((req, res) => (state.deleteAccessKey(required(queryOf(req), "accessKeyId")), showGovernance(res)))],
    [
      `GET ${DECLARATIVE_POLICY_PATH}`,
      handled((req, res) => {
        const { accountId, region } = scope(queryOf(req));
        sendJson(res, 200, { accountId, region, accountDefaults: deps.accountDefaults.get(accountId, region) });
      }),
    ],
    [
      `PUT ${DECLARATIVE_POLICY_PATH}`,
      handled((req, res, body) => {
        const { accountId, region } = scope(queryOf(req));
        sendJson(res, 200, { accountId, region, accountDefaults: deps.accountDefaults.setDeclarativePolicy(accountId, region, bodyOf(body)) });
      }),
    ],
    [
      `DELETE ${DECLARATIVE_POLICY_PATH}`,
      handled((req, res) => {
        const { accountId, region } = scope(queryOf(req));
        sendJson(res, 200, { accountId, region, accountDefaults: deps.accountDefaults.clearDeclarativePolicy(accountId, region) });
      }),
    ],
  ];
}
