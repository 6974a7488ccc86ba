import { DomainError } from "../domain/errors.ts";
import { instanceIdMalformed } from "../domain/instance/resource-errors.ts";
import { isInstanceId } from "../domain/instance/resource-ids.ts";
import { ErrorCode, PARAM_INSTANCE_ID } from "./constants.ts";
import { getList, type QueryParams } from "./query-params.ts";

export function missingParameter(name: string): DomainError {
  return new DomainError(ErrorCode.MissingParameter, `The request must contain the parameter ${name}`);
}

/**
 * `InstanceId.N`: each id well-formed (else InvalidInstanceID.Malformed), duplicates answered once,
 * in request order. `required` lists (Start/Stop/Terminate) refuse an empty list.
 */
export function getInstanceIds(params: QueryParams, { required }: { required: boolean }): string[] {
  const ids = [...new Set(getList(params, PARAM_INSTANCE_ID))];
  if (required && ids.length === 0) throw missingParameter(PARAM_INSTANCE_ID);
  const malformed = ids.find((id) => !isInstanceId(id));
  if (malformed !== undefined) throw instanceIdMalformed(malformed);
  return ids;
}
