import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { compileFilters, getFilters, wildcardPattern, type FilterSchema } from "./filters.ts";
import { parseQueryParams } from "./query-params.ts";

interface Item {
  readonly name: string;
  readonly size: number;
  readonly tags: Record<string, string>;
}
const SCHEMA: FilterSchema<Item> = {
  fields: { name: (i) => [i.name], size: (i) => [i.size] },
  tagValues: (i, key) => (Object.hasOwn(i.tags, key) ? [i.tags[key]!] : []),
};
const ITEMS: Item[] = [
  { name: "web-1", size: 2, tags: { env: "prod" } },
  { name: "web-10", size: 4, tags: { env: "dev" } },
  { name: "db*", size: 8, tags: {} },
];

function select(query: string): string[] {
  const matches = compileFilters(getFilters(parseQueryParams({ query })), SCHEMA);
  return ITEMS.filter(matches).map((i) => i.name);
}

test("filters: * matches any run, ? one character, both case-sensitive and anchored", () => {
  assert.ok(wildcardPattern("web-*").test("web-"));
  assert.ok(wildcardPattern("web-?").test("web-1"));
  assert.ok(!wildcardPattern("web-?").test("web-10"));
  assert.ok(!wildcardPattern("WEB-*").test("web-1"));
  assert.ok(!wildcardPattern("eb").test("web"));
  assert.ok(wildcardPattern("a.b(c)[d]$^+|/").test("a.b(c)[d]$^+|/"), "regex syntax is literal");
});

test("filters: a backslash escapes *, ? and itself", () => {
  assert.ok(wildcardPattern("db\\*").test("db*"));
  assert.ok(!wildcardPattern("db\\*").test("dbx"));
  assert.ok(wildcardPattern("a\\?").test("a?"));
  assert.ok(wildcardPattern("a\\\\").test("a\\"));
  assert.ok(wildcardPattern("trailing\\").test("trailing\\"));
});

test("filters: values of one filter are ORed, filters are ANDed", () => {
  assert.deepEqual(select("Filter.1.Name=name&Filter.1.Value.1=web-1&Filter.1.Value.2=db*"), ["web-1", "db*"]);
  assert.deepEqual(select("Filter.1.Name=name&Filter.1.Value.1=web*&Filter.2.Name=size&Filter.2.Value.1=4"), ["web-10"]);
  assert.deepEqual(select("Filter.1.Name=tag:env&Filter.1.Value.1=*"), ["web-1", "web-10"]);
  assert.deepEqual(select("Filter.1.Name=name"), [], "a filter without values matches nothing (docs/behaviour.md#instances-and-tags)");
  assert.deepEqual(select(""), ["web-1", "web-10", "db*"]);
});

test("filters: unknown names and a missing name are InvalidParameterValue", () => {
  const error = (query: string) => {
    try {
      select(query);
    } catch (err) {
      assert.ok(err instanceof DomainError);
      return `${err.code}: ${err.message}`;
    }
    assert.fail("expected an error");
  };
  assert.equal(error("Filter.1.Name=colour&Filter.1.Value.1=x"), "InvalidParameterValue: The filter 'colour' is invalid");
  assert.equal(error("Filter.1.Value.1=x"), "InvalidParameterValue: The filter 'null' is invalid");
  assert.equal(error("Filter.1.Name=tag:&Filter.1.Value.1=x"), "InvalidParameterValue: The filter 'tag:' is invalid");
  assert.equal(error("Filter.1.Name=__proto__&Filter.1.Value.1=x"), "InvalidParameterValue: The filter '__proto__' is invalid");
});
