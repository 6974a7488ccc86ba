import { createHash } from "node:crypto";
import { checkClientToken } from "../domain/idempotency/client-token.ts";
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
