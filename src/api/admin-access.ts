/**
 * Who may use the emulator's own routes (/_imds-lab/*, /metrics) under `--auth verify`
 * (docs/behaviour.md, "What the API refuses, and why"):
 *
 * - the operator, with `Authorization: Bearer <admin token>`: every route, every account. The
 *   token is IMDS_LAB_ADMIN_TOKEN (or `adminToken` in the config file); when none is set the
 *   server makes one and prints it once, in the ready line;
 * - a SigV4-signed request from a known access key: only the read-only views that are filtered to
 *   the signer's account (instances, explain, report);
 * - nobody else: 401 without credentials, 403 with credentials that do not reach the route.
 *
 * Without `--auth verify` every caller is the operator, as before: the emulator trusts its host.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isDomainError } from "../domain/errors.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";
import { ADMIN_TOKEN_ENV, BEARER_PREFIX } from "./admin-credential.ts";
import { PATH_EXPLAIN, PATH_HEALTH, PATH_INSTANCES, PATH_REPORT, PATH_STS, routeKey } from "./control-paths.ts";

export type AdminCaller = { readonly kind: "operator" } | { readonly kind: "account"; readonly accountId: string };

/** Answered with the code's status: AuthFailure 401, UnauthorizedOperation and SignatureDoesNotMatch 403. */
export interface AdminRefusal {
  readonly code: string;
  readonly message: string;
}

export interface AdminGateOptions {
  readonly token: string;
  /** Verifies a SigV4 signature (throwing EC2's DomainError) and names the signer's account. */
  readonly signedAccount: (request: RawQueryRequest) => Promise<string>;
  /** "METHOD /path" keys a signed account may call; each filters what it shows by account. */
  readonly accountRoutes: ReadonlySet<string>;
  /** "METHOD /path" keys open to anyone: health, and STS, which verifies its own signatures. */
  readonly openRoutes: ReadonlySet<string>;
}

export type AdminGate = (req: IncomingMessage, routeKey: string, body: Buffer) => Promise<AdminCaller | AdminRefusal | undefined>;

const OPERATOR: AdminCaller = { kind: "operator" };
/** The admitted caller travels on the request itself, so routes need no handle on the gate. */
const CALLER = Symbol("imds-lab.admin-caller");

function admit(req: IncomingMessage, caller: AdminCaller): AdminCaller {
  Object.defineProperty(req, CALLER, { value: caller });
  return caller;
}

/** The caller the gate admitted; the operator when no gate runs (`--auth off`). */
export function adminCallerOf(req: IncomingMessage): AdminCaller {
  return (req as unknown as { [CALLER]?: AdminCaller })[CALLER] ?? OPERATOR;
}

/** Whether the request's caller may see things of `accountId`. */
export function callerSeesAccount(req: IncomingMessage, accountId: string | undefined): boolean {
  const caller = adminCallerOf(req);
  return caller.kind === "operator" || caller.accountId === accountId;
}

export function isAdminRefusal(value: AdminCaller | AdminRefusal | undefined): value is AdminRefusal {
  return value !== undefined && "code" in value;
}

/** Decides one request to an emulator route; an admitted caller is remembered for adminCallerOf. */
export function createAdminGate(options: AdminGateOptions): AdminGate {
  const token = Buffer.from(options.token);
  return async (req, routeKey, body) => {
    if (options.openRoutes.has(routeKey)) return undefined;
    const authorization = req.headers.authorization;
    if (typeof authorization === "string" && authorization.startsWith(BEARER_PREFIX)) {
      const given = Buffer.from(authorization.slice(BEARER_PREFIX.length).trim());
      if (given.length !== token.length || !timingSafeEqual(given, token)) {
        return { code: "AuthFailure", message: "The admin token is not valid." };
      }
      return admit(req, OPERATOR);
    }
    if (authorization === undefined) {
      return { code: "AuthFailure", message: `With --auth verify this route needs the admin token (Authorization: Bearer $${ADMIN_TOKEN_ENV}) or a SigV4-signed request.` };
    }
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    let accountId: string;
    try {
      accountId = await options.signedAccount({
        method: req.method ?? "GET",
        path: q === -1 ? url : url.slice(0, q),
        query: q === -1 ? "" : url.slice(q + 1),
        headers: req.headers,
        body,
      });
    } catch (err) {
      if (!isDomainError(err)) throw err;
      return { code: err.code, message: err.message };
    }
    if (!options.accountRoutes.has(routeKey)) {
      return { code: "UnauthorizedOperation", message: `Only the admin token may call ${routeKey}; signed requests may read their own account's instances, explain and report.` };
    }
    return admit(req, { kind: "account", accountId });
  };
}

/** The read-only views a signed account may call; each shows only that account's instances. */
export const ACCOUNT_VIEW_ROUTES: ReadonlySet<string> = new Set([routeKey("GET", PATH_INSTANCES), routeKey("GET", PATH_EXPLAIN), routeKey("GET", PATH_REPORT)]);
/** Liveness reveals nothing; STS verifies its callers' signatures itself. */
export const OPEN_ROUTES: ReadonlySet<string> = new Set([routeKey("GET", PATH_HEALTH), routeKey("POST", PATH_STS)]);

export interface AdminAccessSettings {
  readonly verify: boolean;
  /** The configured token (IMDS_LAB_ADMIN_TOKEN / adminToken); undefined makes one. */
  readonly configuredToken: string | undefined;
  readonly newToken: () => string;
  readonly signedAccount: ((request: RawQueryRequest) => Promise<string>) | undefined;
}

/** The gate for `--auth verify` (none otherwise), and `adminToken` for the ready line when one was made. */
export function adminAccess(settings: AdminAccessSettings): { gate?: AdminGate; readyEntries: Record<string, string> } {
  if (!settings.verify || settings.signedAccount === undefined) return { readyEntries: {} };
  const token = settings.configuredToken ?? settings.newToken();
  const gate = createAdminGate({ token, signedAccount: settings.signedAccount, accountRoutes: ACCOUNT_VIEW_ROUTES, openRoutes: OPEN_ROUTES });
  return { gate, readyEntries: settings.configuredToken === undefined ? { adminToken: token } : {} };
}
