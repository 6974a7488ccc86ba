/**
 * `Filter.N.Name` / `Filter.N.Value.M` of the Describe* actions, with EC2's semantics: values of
 * one filter are ORed, filters are ANDed, values may use `*` (any run) and `?` (one character),
 * escaped with a backslash (`\*`, `\?`, `\\`); matching is case-sensitive. An unknown name fails
 * the whole call with `InvalidParameterValue: The filter 'x' is invalid` (absent name: 'null').
 */
import { DomainError } from "../domain/errors.ts";
import { ErrorCode, MEMBER_NAME, MEMBER_VALUE, PARAM_FILTER } from "./constants.ts";
import { getStructs, type QueryParams } from "./query-params.ts";
import { compileWildcard, type CompiledWildcard } from "../domain/wildcard-match.ts";

export interface Filter {
  readonly name: string | undefined;
  readonly values: readonly string[];
}

/** The values an item has for one filter name; a filter matches when any value matches any pattern. */
export type FilterField<T> = (item: T) => readonly (string | number | null | undefined)[];

export interface FilterSchema<T> {
  readonly fields: Readonly<Record<string, FilterField<T>>>;
  /** `tag:KEY` filters: the item's values for tag KEY (none when the tag is absent). */
  readonly tagValues?: (item: T, key: string) => readonly string[];
}

const TAG_FILTER_PREFIX = "tag:";

/**
 * EC2 refuses more than 200 filter values in one call with FilterLimitExceeded (the message as
 * EC2 sends it; "Error codes for the Amazon EC2 API",
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html). A filter without
 * values counts as one, so the number of filters is bounded too.
 */
export const MAX_FILTER_VALUES_PER_CALL = 200;

export function getFilters(params: QueryParams): Filter[] {
  const filters = getStructs(params, PARAM_FILTER).map((struct) => {
    const name = struct[MEMBER_NAME];
    const values = struct[MEMBER_VALUE];
    return {
      name: typeof name === "string" ? name : undefined,
      values: Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [],
    };
  });
  return checkFilterLimit(filters);
}

/** Throws FilterLimitExceeded past MAX_FILTER_VALUES_PER_CALL; returns the filters otherwise. */
export function checkFilterLimit<F extends { readonly values: readonly string[] }>(filters: F[]): F[] {
  const counted = filters.reduce((sum, filter) => sum + Math.max(1, filter.values.length), 0);
  if (counted > MAX_FILTER_VALUES_PER_CALL) {
    throw new DomainError(
      ErrorCode.FilterLimitExceeded,
      `The maximum number of filter values specified on a single call is ${MAX_FILTER_VALUES_PER_CALL}`,
    );
  }
  return filters;
}

/** EC2's wildcard syntax, matched in linear-ish time (never a backtracking regular expression). */
export function wildcardPattern(pattern: string): CompiledWildcard {
  return compileWildcard(pattern, { backslashEscapes: true });
}

/** Checks every filter name now (parse time) and returns the predicate for the items. */
export function compileFilters<T>(filters: readonly Filter[], schema: FilterSchema<T>): (item: T) => boolean {
  const predicates = filters.map((filter) => {
    const field = fieldFor(filter.name, schema);
    const patterns = filter.values.map(wildcardPattern);
    return (item: T) =>
      field(item).some((value) => value !== null && value !== undefined && patterns.some((p) => p.test(String(value))));
  });
  return (item) => predicates.every((matches) => matches(item));
}

function fieldFor<T>(name: string | undefined, schema: FilterSchema<T>): FilterField<T> {
  if (name !== undefined && Object.hasOwn(schema.fields, name)) return schema.fields[name]!;
  const tagValues = schema.tagValues;
  if (name !== undefined && tagValues !== undefined && name.startsWith(TAG_FILTER_PREFIX) && name.length > TAG_FILTER_PREFIX.length) {
    const key = name.slice(TAG_FILTER_PREFIX.length);
    return (item) => tagValues(item, key);
  }
  throw new DomainError(ErrorCode.InvalidParameterValue, `The filter '${name ?? "null"}' is invalid`);
}
