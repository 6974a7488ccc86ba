import { DomainError } from "../domain/errors.ts";
import { instanceIdMalformed } from "../domain/instance/resource-errors.ts";
import { isInstanceId } from "../domain/instance/resource-ids.ts";
import { ErrorCode, PARAM_INSTANCE_ID } from "./constants.ts";
import { getPageRequest, type PageRequest } from "./pagination.ts";
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

/**
 * The describe actions' `InstanceId.N` with `MaxResults`/`NextToken`: "You cannot specify this
 * parameter and the instance IDs parameter in the same request." (EC2 API reference,
 * DescribeInstances, MaxResults).
 */
export function getInstanceIdsAndPage(params: QueryParams, action: string): { instanceIds: string[]; page: PageRequest } {
  const instanceIds = getInstanceIds(params, { required: false });
  const page = getPageRequest(params, action);
  if (instanceIds.length > 0 && page.maxResults !== undefined) {
    throw new DomainError(ErrorCode.InvalidParameterCombination, "The parameter instancesSet cannot be used with the parameter maxResults");
  }
  return { instanceIds, page };
}
