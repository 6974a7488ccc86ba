/**
 * MaxResults / NextToken for the launch template Describe calls. The token is opaque to clients
 * (they only echo it); ours carries the offset of the next item. A token we did not issue is
 * EC2's InvalidPaginationToken ("The specified pagination token is not valid or is expired.",
 * EC2 error-code list); its status is the default 400.
 */
import { Buffer } from "node:buffer";
import { DomainError } from "../../domain/errors.ts";

const TOKEN_PREFIX = "imds-lab-lt:";
const OFFSET = /^[1-9][0-9]{0,8}$/;
export const INVALID_PAGINATION_TOKEN = "InvalidPaginationToken";

export interface Page<T> {
  readonly items: T[];
  readonly nextToken: string | undefined;
}

function offsetOf(nextToken: string | undefined): number {
  if (nextToken === undefined) return 0;
  const text = Buffer.from(nextToken, "base64url").toString("utf8");
  const offset = text.startsWith(TOKEN_PREFIX) ? text.slice(TOKEN_PREFIX.length) : "";
  if (!OFFSET.test(offset) || Buffer.from(text).toString("base64url") !== nextToken) {
    throw new DomainError(INVALID_PAGINATION_TOKEN, "The specified pagination token is not valid or is expired.");
  }
  return Number(offset);
}

/** Without MaxResults every remaining item is returned and no token is issued. */
export function paginate<T>(all: readonly T[], maxResults: number | undefined, nextToken: string | undefined): Page<T> {
  const start = offsetOf(nextToken);
  const end = maxResults === undefined ? all.length : start + maxResults;
  const items = all.slice(start, end);
  const more = end < all.length;
  return { items, nextToken: more ? Buffer.from(`${TOKEN_PREFIX}${end}`).toString("base64url") : undefined };
}
