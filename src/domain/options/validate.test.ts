import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DomainError } from "../errors.ts";
import {
  NO_OPTIONS_TO_MODIFY_MESSAGE,
  parseAccountDefaultsChange,
  parseMetadataOptionsInput,
  parseMetadataOptionsModification,
  type RawAccountDefaultsRequest,
  type RawMetadataOptions,
} from "./validate.ts";

function rejects(fn: () => unknown, code: string, message?: string): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof DomainError, `expected a DomainError, got ${String(err)}`);
    assert.equal(err.code, code);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

const BAD_INTEGERS = ["", " 2", "2 ", "2.5", "1e1", "0x10", "abc", "99999999999999999999"];
const BAD_INSTANCE_HOPS = [...BAD_INTEGERS, "65", "0", "-1"];
const BAD_ACCOUNT_HOPS = [...BAD_INTEGERS, "65", "0", "-2"];

type EnumField = "HttpTokens" | "HttpEndpoint" | "HttpProtocolIpv6" | "InstanceMetadataTags";
const INSTANCE_ENUMS: [EnumField, string[]][] = [
  ["HttpTokens", ["optional", "required"]],
  ["HttpEndpoint", ["enabled", "disabled"]],
  ["HttpProtocolIpv6", ["enabled", "disabled"]],
  ["InstanceMetadataTags", ["enabled", "disabled"]],
];
const KEY_OF: Record<EnumField, string> = {
  HttpTokens: "httpTokens",
  HttpEndpoint: "httpEndpoint",
  HttpProtocolIpv6: "httpProtocolIpv6",
  InstanceMetadataTags: "instanceMetadataTags",
};

test("parseMetadataOptionsInput: absent fields stay absent", () => {
  assert.deepEqual(parseMetadataOptionsInput({}), {});
  const parsed = parseMetadataOptionsInput({ HttpTokens: "required", HttpEndpoint: undefined });
  assert.deepEqual(parsed, { httpTokens: "required" });
  assert.ok(!("httpEndpoint" in parsed));
});

test("parseMetadataOptionsInput: all five fields parse together", () => {
  const raw: RawMetadataOptions = {
    HttpTokens: "required",
    HttpPutResponseHopLimit: "2",
    HttpEndpoint: "enabled",
    HttpProtocolIpv6: "disabled",
    InstanceMetadataTags: "enabled",
  };
  assert.deepEqual(parseMetadataOptionsInput(raw), {
    httpTokens: "required",
    httpPutResponseHopLimit: 2,
    httpEndpoint: "enabled",
    httpProtocolIpv6: "disabled",
    instanceMetadataTags: "enabled",
  });
});

for (const [field, good] of INSTANCE_ENUMS) {
  test(`parseMetadataOptionsInput: ${field} accepts ${good.join(" and ")}`, () => {
    for (const value of good) assert.deepEqual(parseMetadataOptionsInput({ [field]: value }), { [KEY_OF[field]]: value });
  });
  test(`parseMetadataOptionsInput: ${field} refuses empty, wrong-case, padded and no-preference values`, () => {
    for (const bad of ["", "bogus", good[0]!.toUpperCase(), ` ${good[0]}`, "no-preference"]) {
      const expected = `A value of '${bad}' is not valid for ${field}. Specify either '${good[0]}' or '${good[1]}' and try again.`;
      rejects(() => parseMetadataOptionsInput({ [field]: bad }), "InvalidParameterValue", expected);
    }
  });
}

test("parseMetadataOptionsInput: HttpEndpoint='' gets EC2's own wording", () => {
  rejects(
    () => parseMetadataOptionsInput({ HttpEndpoint: "" }),
    "InvalidParameterValue",
    "A value of '' is not valid for HttpEndpoint. Specify either 'enabled' or 'disabled' and try again.",
  );
});

test("parseMetadataOptionsInput: hop limit accepts the integers 1 to 64", () => {
  for (const [raw, value] of [["1", 1], ["2", 2], ["64", 64], ["02", 2], ["+3", 3]] as const) {
    assert.deepEqual(parseMetadataOptionsInput({ HttpPutResponseHopLimit: raw }), { httpPutResponseHopLimit: value });
  }
});

test("parseMetadataOptionsInput: hop limit refuses non-integers and values outside 1 to 64", () => {
  for (const bad of BAD_INSTANCE_HOPS) {
    const expected = `Value (${bad}) for parameter httpPutResponseHopLimit is invalid. Expecting a value between 1 and 64.`;
    rejects(() => parseMetadataOptionsInput({ HttpPutResponseHopLimit: bad }), "InvalidParameterValue", expected);
  }
});

test("parseMetadataOptionsInput: a decimal integer string is accepted exactly when it is 1 to 64", () => {
  fc.assert(
    fc.property(fc.integer({ min: -1000, max: 1000 }), (n) => {
      const parse = () => parseMetadataOptionsInput({ HttpPutResponseHopLimit: String(n) });
      if (n >= 1 && n <= 64) assert.deepEqual(parse(), { httpPutResponseHopLimit: n });
      else rejects(parse, "InvalidParameterValue");
    }),
  );
});

test("parseMetadataOptionsInput: an enum field accepts a string exactly when it is a listed value", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.constantFrom("optional", "required", "enabled", "disabled")), (s) => {
      const parse = () => parseMetadataOptionsInput({ HttpTokens: s });
      if (s === "optional" || s === "required") assert.deepEqual(parse(), { httpTokens: s });
      else rejects(parse, "InvalidParameterValue");
    }),
  );
});

test("parseMetadataOptionsModification: refuses a call that names no option", () => {
  rejects(() => parseMetadataOptionsModification({}), "InvalidParameterCombination", NO_OPTIONS_TO_MODIFY_MESSAGE);
  rejects(
    () => parseMetadataOptionsModification({ HttpTokens: undefined, HttpPutResponseHopLimit: undefined }),
    "InvalidParameterCombination",
    "No attributes specified.",
  );
});

test("parseMetadataOptionsModification: returns only the fields named", () => {
  assert.deepEqual(parseMetadataOptionsModification({ HttpEndpoint: "disabled" }), { httpEndpoint: "disabled" });
  assert.deepEqual(parseMetadataOptionsModification({ HttpPutResponseHopLimit: "64" }), { httpPutResponseHopLimit: 64 });
});

test("parseMetadataOptionsModification: validates values before checking that something was named", () => {
  rejects(() => parseMetadataOptionsModification({ HttpTokens: "" }), "InvalidParameterValue");
  rejects(() => parseMetadataOptionsModification({ HttpPutResponseHopLimit: "0" }), "InvalidParameterValue");
});

type AccountEnumField = "HttpTokens" | "HttpEndpoint" | "InstanceMetadataTags" | "HttpTokensEnforced";
const ACCOUNT_ENUMS: [AccountEnumField, string, string[]][] = [
  ["HttpTokens", "httpTokens", ["optional", "required", "no-preference"]],
  ["HttpEndpoint", "httpEndpoint", ["disabled", "enabled", "no-preference"]],
  ["InstanceMetadataTags", "instanceMetadataTags", ["disabled", "enabled", "no-preference"]],
  ["HttpTokensEnforced", "httpTokensEnforced", ["enabled", "disabled", "no-preference"]],
];

for (const [field, key, good] of ACCOUNT_ENUMS) {
  test(`parseAccountDefaultsChange: ${field} accepts ${good.join(", ")}`, () => {
    for (const value of good) assert.deepEqual(parseAccountDefaultsChange({ [field]: value }), { [key]: value });
  });
  test(`parseAccountDefaultsChange: ${field} refuses empty, wrong-case and underscore spellings`, () => {
    for (const bad of ["", "Enabled", "Required", "no_preference", "bogus"]) {
      rejects(() => parseAccountDefaultsChange({ [field]: bad }), "InvalidParameterValue");
    }
  });
}

test("parseAccountDefaultsChange: an invalid HttpTokens lists all three choices", () => {
  rejects(
    () => parseAccountDefaultsChange({ HttpTokens: "bogus" }),
    "InvalidParameterValue",
    "A value of 'bogus' is not valid for HttpTokens. Specify one of 'optional', 'required' or 'no-preference' and try again.",
  );
});

test("parseAccountDefaultsChange: hop limit accepts -1 (no preference) and 1 to 64", () => {
  for (const [raw, value] of [["-1", -1], ["1", 1], ["2", 2], ["64", 64]] as const) {
    assert.deepEqual(parseAccountDefaultsChange({ HttpPutResponseHopLimit: raw }), { httpPutResponseHopLimit: value });
  }
});

test("parseAccountDefaultsChange: hop limit refuses non-integers, 0, -2 and 65", () => {
  for (const bad of BAD_ACCOUNT_HOPS) {
    const expected =
      `Value (${bad}) for parameter httpPutResponseHopLimit is invalid. ` +
      "Expecting -1 (no preference) or a value between 1 and 64.";
    rejects(() => parseAccountDefaultsChange({ HttpPutResponseHopLimit: bad }), "InvalidParameterValue", expected);
  }
});

test("parseAccountDefaultsChange: a call naming nothing is an empty change", () => {
  assert.deepEqual(parseAccountDefaultsChange({}), {});
});

test("parseAccountDefaultsChange: HttpProtocolIpv6 is not an account-level field", () => {
  const raw = { HttpProtocolIpv6: "enabled" } as RawAccountDefaultsRequest;
  assert.deepEqual(parseAccountDefaultsChange(raw), {});
});
