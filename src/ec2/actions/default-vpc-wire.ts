import { DomainError } from "../../domain/errors.ts";
import { compileFilters, getFilters, type FilterSchema } from "../filters.ts";
import { getPageRequest, type PageRequest } from "../pagination.ts";
import { getList, type QueryParams } from "../query-params.ts";

/**
 * What DescribeVpcs and DescribeSubnets share: over the default VPC of the caller's account and
 * Region and its default subnets (docs/behaviour.md#default-vpc); named ids that do not exist
 * fail the call with EC2's NotFound codes.
 */
export interface DescribeInput<T> {
  readonly ids: readonly string[];
  readonly matches: (item: T) => boolean;
  readonly page: PageRequest;
}

export function named<T>(all: readonly T[], ids: readonly string[], idOf: (item: T) => string, notFound: (missing: string[]) => DomainError): T[] {
  if (ids.length === 0) return [...all];
  const missing = ids.filter((id) => !all.some((item) => idOf(item) === id));
  if (missing.length > 0) throw notFound(missing);
  return all.filter((item) => ids.includes(idOf(item)));
}

export function parseDescribe<T>(params: QueryParams, idParam: string, action: string, schema: FilterSchema<T>): DescribeInput<T> {
  return { ids: [...new Set(getList(params, idParam))], matches: compileFilters(getFilters(params), schema), page: getPageRequest(params, action) };
}

export const quoted = (ids: readonly string[]) => ids.map((id) => `'${id}'`).join(", ");

