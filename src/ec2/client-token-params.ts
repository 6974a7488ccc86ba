import { createHash } from "node:crypto";
import type { ClientTokenRepository } from "../app/ports.ts";
import { checkClientToken, replayedResources, type ClientTokenKey } from "../domain/idempotency/client-token.ts";
import type { ActionContext } from "./action.ts";
import { PARAM_ACTION, PARAM_AMZ_CREDENTIAL, PARAM_AMZ_SIGNATURE, PARAM_DRY_RUN, PARAM_VERSION } from "./constants.ts";
import { getString, type QueryParams } from "./query-params.ts";

export const PARAM_CLIENT_TOKEN = "ClientToken";
const PARAM_AVAILABILITY_ZONE = "Placement.AvailabilityZone";

/** Fields that do not make a retry a different request: the token itself, DryRun, signing, and the zone (the idempotency guide). */
const NOT_COMPARED = new Set([PARAM_CLIENT_TOKEN, PARAM_ACTION, PARAM_VERSION, PARAM_DRY_RUN, PARAM_AMZ_CREDENTIAL, PARAM_AMZ_SIGNATURE, PARAM_AVAILABILITY_ZONE]);

export function getClientToken(params: QueryParams): string | undefined {
  const token = getString(params, PARAM_CLIENT_TOKEN);
  if (token !== undefined) checkClientToken(token);
  return token;
}

/** The request's parameters, order-free, as one digest: equal for a faithful retry. */
export function requestFingerprint(params: QueryParams): string {
  const fields = [...params].filter(([name]) => !NOT_COMPARED.has(name) && !name.startsWith("X-Amz-")).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex");
}

/** What a ClientToken-bearing request needs at execute time: the key to remember and, on a faithful retry, what the first call created. */
export interface Idempotency {
  readonly key: ClientTokenKey;
  readonly fingerprint: string;
  readonly replay: readonly string[] | undefined;
}

/** Undefined without a ClientToken; throws IdempotentParameterMismatch when the token came with other parameters. */
export function idempotencyOf(ctx: ActionContext, tokens: ClientTokenRepository, action: string): Idempotency | undefined {
  const token = getClientToken(ctx.params);
  if (token === undefined) return undefined;
  const key: ClientTokenKey = { accountId: ctx.accountId, region: ctx.region, action, token };
  const fingerprint = requestFingerprint(ctx.params);
  return { key, fingerprint, replay: replayedResources(tokens.get(key), fingerprint) };
}
