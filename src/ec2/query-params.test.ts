import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { DomainError } from "../domain/errors.ts";
import {
  getBoolean,
  getInteger,
  getList,
  getString,
  getStructList,
  getStructs,
  getTagSpecifications,
  parseQueryParams,
} from "./query-params.ts";

const parse = (body: string) => parseQueryParams({ body });

function assertDomainError(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof DomainError && err.code === code);
}

describe("query-params.parseQueryParams", () => {
  it("query-params: decodes form encoding (+ is a space, %XX is UTF-8)", () => {
    const params = parse("Action=RunInstances&Version=2016-11-15&TagSpecification.1.Tag.1.Value=web+0%20%3Ca%26b%3E%C3%A9");
    assert.equal(getString(params, "Action"), "RunInstances");
    assert.equal(getString(params, "TagSpecification.1.Tag.1.Value"), "web 0 <a&b>é");
    assert.equal(getString(params, "Missing"), undefined);
  });

  it("query-params: reads a Buffer body and merges the URL query string, first occurrence winning", () => {
    const params = parseQueryParams({ query: "?Action=FromQuery&A=q", body: Buffer.from("Action=FromBody&B=b&B=again") });
    assert.deepEqual([...params], [["Action", "FromQuery"], ["A", "q"], ["B", "b"]]);
  });

  it("query-params: malformed escapes stay literal and invalid UTF-8 becomes U+FFFD", () => {
    const params = parseQueryParams({ body: Buffer.from([0x41, 0x3d, 0x25, 0x7a, 0x7a, 0x26, 0x42, 0x3d, 0xff]) });
    assert.equal(params.get("A"), "%zz");
    assert.equal(params.get("B"), "\uFFFD");
  });

  it("query-params: refuses more than maxBytes with RequestEntityTooLarge", () => {
    assertDomainError(() => parseQueryParams({ body: "A=".padEnd(101, "x") }, { maxBytes: 100 }), "RequestEntityTooLarge");
    assertDomainError(() => parseQueryParams({ query: "A=".padEnd(60, "x"), body: "B=".padEnd(60, "y") }, { maxBytes: 100 }), "RequestEntityTooLarge");
    assert.equal(parseQueryParams({ body: "A=".padEnd(100, "x") }, { maxBytes: 100 }).size, 1);
    assertDomainError(() => parseQueryParams({ body: "A=" + "x".repeat(1024 * 1024) }), "RequestEntityTooLarge");
  });
});

describe("query-params.getList", () => {
  it("query-params.getList: numeric order, not text order", () => {
    const body = Array.from({ length: 12 }, (_, i) => `InstanceId.${12 - i}=i-${12 - i}`).join("&");
    assert.deepEqual(getList(parse(body), "InstanceId"), Array.from({ length: 12 }, (_, i) => `i-${i + 1}`));
  });

  it("query-params.getList: gaps close up; non-canonical indexes and other prefixes are ignored", () => {
    const params = parse("InstanceId.3=c&InstanceId.1=a&InstanceId.0=zero&InstanceId.01=lead&InstanceId.x=x&InstanceId.-1=neg&InstanceId.1.5=f&InstanceIdX.2=o&InstanceId=bare");
    assert.deepEqual(getList(params, "InstanceId"), ["a", "c"]);
    assert.deepEqual(getList(params, "Nothing"), []);
  });

  it("query-params.getList: huge indexes sort exactly without number conversion", () => {
    const params = parse("X.99999999999999999999999=b&X.99999999999999999999998=a&X.2=first");
    assert.deepEqual(getList(params, "X"), ["first", "a", "b"]);
  });
});

describe("query-params.getStructs", () => {
  it("query-params.getStructList: filters with their value lists", () => {
    const params = parse(
      "Filter.2.Name=metadata-options.http-tokens&Filter.2.Value.1=optional" +
        "&Filter.1.Name=tag%3AName&Filter.1.Value.2=web-1&Filter.1.Value.1=web-0&Filter.1.Deep.Inner=x",
    );
    assert.deepEqual(getStructList(params, "Filter"), [
      { Name: "tag:Name", Value: ["web-0", "web-1"] },
      { Name: "metadata-options.http-tokens", Value: ["optional"] },
    ]);
  });

  it("query-params.getStructs: nested lists of structures", () => {
    const params = parse(
      "TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.2.Key=b&TagSpecification.1.Tag.1.Key=a" +
        "&TagSpecification.1.Tag.1.Value=1&MetadataOptions.HttpTokens=required",
    );
    assert.deepEqual(getStructs(params, "TagSpecification"), [
      { ResourceType: "instance", Tag: [{ Key: "a", Value: "1" }, { Key: "b" }] },
    ]);
  });

  it("query-params.getStructs: value-and-prefix keeps the nested form; empty segments are ignored; bare members are {}", () => {
    const params = parse("S.1.A=scalar&S.1.A.B=nested&S.1..C=x&S.1.D.=y&S.2=bare");
    assert.deepEqual(getStructs(params, "S"), [{ A: { B: "nested" } }, {}]);
  });

  it("query-params.getStructs: a member named __proto__ is data, not a prototype", () => {
    const [struct] = getStructs(parse("S.1.__proto__.polluted=yes"), "S");
    assert.ok(struct);
    assert.equal(Object.getPrototypeOf(struct), Object.prototype);
    assert.deepEqual(Object.keys(struct), ["__proto__"]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it("query-params.getStructs: absurd nesting is UnknownParameter, not a stack overflow", () => {
    const key = "S.1." + Array.from({ length: 5000 }, () => "A").join(".");
    assertDomainError(() => getStructs(parse(`${key}=x`), "S"), "UnknownParameter");
  });
});

describe("query-params.getTagSpecifications", () => {
  it("query-params.getTagSpecifications: resource type and tags, absent Value as empty", () => {
    const params = parse(
      "TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name" +
        "&TagSpecification.1.Tag.1.Value=web-0+%3Ca%26b%3E+%22q%22+%27x%27&TagSpecification.1.Tag.2.Key=empty" +
        "&TagSpecification.2.Tag.1.Key=k&TagSpecification.2.Tag.1.Value=v",
    );
    assert.deepEqual(getTagSpecifications(params), [
      { ResourceType: "instance", Tags: [{ Key: "Name", Value: `web-0 <a&b> "q" 'x'` }, { Key: "empty", Value: "" }] },
      { ResourceType: undefined, Tags: [{ Key: "k", Value: "v" }] },
    ]);
  });

  it("query-params.getTagSpecifications: a tag without a Key is MissingParameter", () => {
    assertDomainError(() => getTagSpecifications(parse("TagSpecification.1.Tag.1.Value=v")), "MissingParameter");
  });
});

describe("query-params scalars", () => {
  it("query-params.getBoolean: true/false in any case, anything else InvalidParameterValue", () => {
    const params = parse("A=true&B=FALSE&C=yes");
    assert.equal(getBoolean(params, "A"), true);
    assert.equal(getBoolean(params, "B"), false);
    assert.equal(getBoolean(params, "Z"), undefined);
    assertDomainError(() => getBoolean(params, "C"), "InvalidParameterValue");
  });

  it("query-params.getInteger: safe integers only", () => {
    const params = parse("A=64&B=-1&C=1.5&D=9007199254740993&E=&F=0x10");
    assert.equal(getInteger(params, "A"), 64);
    assert.equal(getInteger(params, "B"), -1);
    assert.equal(getInteger(params, "Z"), undefined);
    for (const name of ["C", "D", "E", "F"]) assertDomainError(() => getInteger(params, name), "InvalidParameterValue");
  });
});

describe("query-params properties", () => {
  const keySegment = fc.oneof(
    fc.constantFrom("1", "2", "10", "0", "01", "-1", "", "__proto__", "constructor", "Tag", "Key", "Value", "99999999999999999999"),
    fc.string({ maxLength: 6 }),
  );
  const key = fc.oneof(
    fc.array(keySegment, { minLength: 1, maxLength: 6 }).map((segments) => ["Filter", ...segments].join(".")),
    fc.array(keySegment, { minLength: 1, maxLength: 6 }).map((segments) => ["TagSpecification", ...segments].join(".")),
    fc.string({ unit: "binary", maxLength: 20 }),
  );
  const body = fc.oneof(
    fc.array(fc.tuple(key, fc.string({ unit: "binary", maxLength: 10 })), { maxLength: 20 }).map((pairs) =>
      pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
    ),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
  );

  it("query-params: arbitrary bodies never throw anything but DomainError", () => {
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 400 }), (text, maxBytes) => {
        try {
          const params = parseQueryParams({ body: text }, { maxBytes });
          for (const prefix of ["Filter", "TagSpecification", "InstanceId"]) {
            getList(params, prefix);
            getStructs(params, prefix);
            getStructList(params, prefix);
          }
          getTagSpecifications(params);
          getBoolean(params, "DryRun");
          getInteger(params, "MaxResults");
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("query-params: URLSearchParams-encoded maps parse back unchanged (first key wins)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ unit: "binary" }), fc.string({ unit: "binary" })), { maxLength: 15 }), (pairs) => {
        const expected = new Map<string, string>();
        for (const [k, v] of pairs) if (!expected.has(k)) expected.set(k, v);
        assert.deepEqual(parse(new URLSearchParams(pairs).toString()), expected);
      }),
    );
  });
});
