import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { encodeToken, getPageRequest, paginate } from "./pagination.ts";
import { parseQueryParams } from "./query-params.ts";

const ALL = Array.from({ length: 12 }, (_, i) => i);
const even = (n: number) => n % 2 === 0;

function page(query: string) {
  return getPageRequest(parseQueryParams({ query }), "Act");
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError);
    return err.code;
  }
  return "none";
}

test("pagination: pages of matching items resume where the token points", () => {
  const first = paginate(ALL, even, page("MaxResults=5"), "Act");
  assert.deepEqual(first.items, [0, 2, 4, 6, 8]);
  assert.ok(first.nextToken);
  const second = paginate(ALL, even, page(`MaxResults=5&NextToken=${first.nextToken}`), "Act");
  assert.deepEqual(second.items, [10]);
  assert.equal(second.nextToken, undefined);
});

test("pagination: no token when the page ends exactly at the last match", () => {
  const result = paginate([0, 2, 4, 6, 8, 9], even, page("MaxResults=5"), "Act");
  assert.deepEqual(result.items, [0, 2, 4, 6, 8]);
  assert.equal(result.nextToken, undefined);
});

test("pagination: without MaxResults everything from the token on is returned", () => {
  assert.deepEqual(paginate(ALL, even, page(`NextToken=${encodeToken("Act", 7)}`), "Act").items, [8, 10]);
});

test("pagination: MaxResults outside 5..1000 and foreign or garbled tokens are refused", () => {
  assert.equal(codeOf(() => page("MaxResults=4")), "InvalidParameterValue");
  assert.equal(codeOf(() => page("MaxResults=1001")), "InvalidParameterValue");
  assert.equal(codeOf(() => page("MaxResults=five")), "InvalidParameterValue");
  assert.equal(codeOf(() => page("MaxResults=5")), "none");
  assert.equal(codeOf(() => page("MaxResults=1000")), "none");
  assert.equal(codeOf(() => page(`NextToken=${encodeToken("Other", 1)}`)), "InvalidPaginationToken");
  assert.equal(codeOf(() => page(`NextToken=${encodeToken("Act", -1)}`)), "InvalidPaginationToken");
  assert.equal(codeOf(() => page("NextToken=%7B%7D")), "InvalidPaginationToken");
  assert.equal(codeOf(() => page("NextToken=bnVsbA")), "InvalidPaginationToken");
  assert.equal(codeOf(() => page("NextToken=")), "InvalidPaginationToken");
});
