import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "../domain/errors.ts";
import type { Application } from "../app/application.ts";
import type { ActionContext, AnyEc2Action } from "./action.ts";
import { ACCOUNT_DEFAULTS_ACTIONS } from "./actions/account-defaults-actions.ts";
import { IMAGE_ACTIONS } from "./actions/image-actions.ts";
import { INSTANCE_ACTIONS } from "./actions/instance-actions.ts";
import { LAUNCH_TEMPLATE_ACTIONS } from "./actions/launch-template-actions.ts";
import {
  CONTENT_TYPE_XML,
  EC2_API_VERSION,
  ErrorCode,
  HEADER_AUTHORIZATION,
  MESSAGE_DRY_RUN,
  PARAM_ACTION,
  PARAM_AMZ_SIGNATURE,
  PARAM_DRY_RUN,
  PARAM_VERSION,
  SIGV4_ALGORITHM,
} from "./constants.ts";
import { toQueryError } from "./errors.ts";
import { getBoolean, parseQueryParams } from "./query-params.ts";
import { deriveRequestContext, type AccountIdResolver } from "./request-context.ts";
import { renderResponse } from "./xml.ts";

export const ALL_ACTIONS: readonly AnyEc2Action[] = [
  ...IMAGE_ACTIONS,
  ...ACCOUNT_DEFAULTS_ACTIONS,
  ...LAUNCH_TEMPLATE_ACTIONS,
  ...INSTANCE_ACTIONS,
];

/**
 * Checks a call against policies before it runs (issue: explain and govern). Throws
 * UnauthorizedOperation; absent, everything is allowed.
 */
export type Authorizer = (action: string, input: unknown, ctx: ActionContext) => void;

/** The raw request as signed: what SigV4 verification needs. */
export interface RawQueryRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

/**
 * Verifies who signed a request before anything else runs; throws AuthFailure and the like.
 * May be async: SigV4 verification hashes through @smithy/signature-v4, whose API is async.
 */
export type Authenticator = (request: RawQueryRequest) => void | Promise<void>;

export interface QueryApiOptions {
  readonly services: Application;
  readonly actions?: readonly AnyEc2Action[];
  readonly resolveAccountId?: AccountIdResolver;
  readonly defaultRegion?: string;
  readonly authorize?: Authorizer;
  readonly authenticate?: Authenticator;
  readonly newRequestId?: () => string;
}

export interface QueryApiResult {
  readonly status: number;
  readonly body: string;
  readonly action: string | undefined;
  readonly requestId: string;
}

/**
 * A link or image on any web page can make a browser send a GET; only a signed one may change
 * state (docs/behaviour.md, "What the API refuses, and why"). POST is what the SDKs send.
 */
export const MESSAGE_UNSIGNED_GET_WRITE =
  "An action that changes state must be signed (SigV4 Authorization header or X-Amz-Signature) when sent by GET; send it by POST, as the AWS SDKs and CLI do.";

function isReadOnlyAction(name: string): boolean {
  return name.startsWith("Describe") || name.startsWith("Get");
}

function isSigned(headers: IncomingMessage["headers"], params: ReadonlyMap<string, string>): boolean {
  const authorization = headers[HEADER_AUTHORIZATION];
  return (typeof authorization === "string" && authorization.startsWith(SIGV4_ALGORITHM)) || params.has(PARAM_AMZ_SIGNATURE);
}

/**
 * The EC2 Query protocol: form fields in, one Action dispatched, XML out; every failure becomes
 * EC2's error envelope with its own code, and nothing is written unless the action succeeds.
 */
export function createQueryApi(options: QueryApiOptions) {
  const registry = new Map((options.actions ?? ALL_ACTIONS).map((a) => [a.name, a]));
  const newRequestId = options.newRequestId ?? randomUUID;

  async function handle(
    headers: IncomingMessage["headers"],
    query: string,
    body: Buffer,
    raw: { method: string; path: string } = { method: "POST", path: "/" },
  ): Promise<QueryApiResult> {
    const requestId = newRequestId();
    let actionName: string | undefined;
    try {
      await options.authenticate?.({ ...raw, query, headers, body });
      const params = parseQueryParams({ body, query });
      actionName = params.get(PARAM_ACTION);
      if (actionName === undefined || actionName === "") {
        throw new DomainError(ErrorCode.MissingAction, "The request must contain the parameter Action.");
      }
      const action = registry.get(actionName);
      if (action === undefined) {
        throw new DomainError(ErrorCode.InvalidAction, `The action ${actionName} is not valid for this web service.`);
      }
      if (raw.method === "GET" && !isReadOnlyAction(action.name) && !isSigned(headers, params)) {
        throw new DomainError(ErrorCode.UnauthorizedOperation, MESSAGE_UNSIGNED_GET_WRITE);
      }
      const version = params.get(PARAM_VERSION);
      if (version !== undefined && version !== EC2_API_VERSION) {
        throw new DomainError(ErrorCode.InvalidParameterValue, `The API version ${version} is not supported; use ${EC2_API_VERSION}.`);
      }
      const scope = deriveRequestContext(headers, {
        params,
        ...(options.resolveAccountId ? { resolveAccountId: options.resolveAccountId } : {}),
        ...(options.defaultRegion ? { defaultRegion: options.defaultRegion } : {}),
      });
      const ctx: ActionContext = { ...scope, requestId, params, nowMs: options.services.clock.nowMs() };
      const input: unknown = action.parse(ctx, options.services);
      options.authorize?.(action.name, input, ctx);
      if (getBoolean(params, PARAM_DRY_RUN) === true) throw new DomainError(ErrorCode.DryRunOperation, MESSAGE_DRY_RUN);
      const members = await action.execute(input, ctx, options.services);
      return { status: 200, body: renderResponse(action.name, requestId, members), action: actionName, requestId };
    } catch (err) {
      const error = toQueryError(err, requestId);
      if (error.code === ErrorCode.InternalError) process.emitWarning(`EC2 ${actionName ?? "?"} failed: ${(err as Error)?.stack ?? String(err)}`);
      return { status: error.status, body: error.body, action: actionName, requestId };
    }
  }

  return {
    handle,
    /** The control API route for `POST /` (and GET with a query string, as EC2 also accepts). */
    route: async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
      const url = req.url ?? "/";
      const q = url.indexOf("?");
      const result = await handle(req.headers, q === -1 ? "" : url.slice(q + 1), body, {
        method: req.method ?? "POST",
        path: q === -1 ? url : url.slice(0, q),
      });
      res.writeHead(result.status, { "Content-Type": CONTENT_TYPE_XML, "x-amzn-RequestId": result.requestId, Server: "AmazonEC2" });
      res.end(result.body);
    },
  };
}
