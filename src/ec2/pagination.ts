/**
 * `MaxResults` / `NextToken` of the Describe* actions. MaxResults is 5-1000 (EC2 API reference); out of range
 * answers `Value ( 1 ) for parameter maxResults is invalid. Expecting a value greater than 5.` as
 * EC2 does (aws/aws-sdk-ruby#2575). The token is opaque to clients: it carries the action and the
 * position in the account's stable ordering (insertion order), so a page boundary survives items
 * being added after it. A token that does not decode is `InvalidPaginationToken` (EC2 error-code page).
 */
import { Buffer } from "node:buffer";
import { DomainError } from "../domain/errors.ts";
import { ErrorCode, PARAM_MAX_RESULTS, PARAM_NEXT_TOKEN } from "./constants.ts";
import { getInteger, getString, type QueryParams } from "./query-params.ts";

export const MIN_MAX_RESULTS = 5;
export const MAX_MAX_RESULTS = 1000;
const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

export interface PageRequest {
  readonly maxResults: number | undefined;
  /** Index in the full ordering where this page starts looking. */
  readonly offset: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

export function getPageRequest(params: QueryParams, action: string): PageRequest {
  const maxResults = getInteger(params, PARAM_MAX_RESULTS);
  if (maxResults !== undefined && maxResults < MIN_MAX_RESULTS) {
    throw new DomainError(
      ErrorCode.InvalidParameterValue,
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value greater than ${MIN_MAX_RESULTS}.`,
    );
  }
  if (maxResults !== undefined && maxResults > MAX_MAX_RESULTS) {
    throw new DomainError(
      ErrorCode.InvalidParameterValue,
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value less than or equal to ${MAX_MAX_RESULTS}.`,
    );
  }
  const token = getString(params, PARAM_NEXT_TOKEN);
  return { maxResults, offset: token === undefined ? 0 : decodeToken(token, action) };
}

function invalidToken(): DomainError {
  return new DomainError(ErrorCode.InvalidPaginationToken, "The specified pagination token is not valid or is expired.");
}

export function encodeToken(action: string, offset: number): string {
  return Buffer.from(JSON.stringify({ a: action, o: offset }), "utf8").toString("base64url");
}

function decodeToken(token: string, action: string): number {
  if (!TOKEN.test(token)) throw invalidToken();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidToken();
  }
  const { a, o } = (typeof decoded === "object" && decoded !== null ? decoded : {}) as { a?: unknown; o?: unknown };
  if (a !== action || typeof o !== "number" || !Number.isSafeInteger(o) || o < 0) throw invalidToken();
  return o;
}

/**
 * Walks `all` from the token's position and keeps the items that match until the page is full;
 * without MaxResults everything from there on is returned.
 */
export function paginate<T>(all: readonly T[], matches: (item: T) => boolean, page: PageRequest, action: string): Page<T> {
  const items: T[] = [];
  const limit = page.maxResults ?? Number.POSITIVE_INFINITY;
  for (let i = page.offset; i < all.length; i++) {
    if (!matches(all[i]!)) continue;
    if (items.length === limit) return { items, nextToken: encodeToken(action, i) };
    items.push(all[i]!);
  }
  return { items, nextToken: undefined };
}
