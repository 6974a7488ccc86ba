import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DomainError } from "../errors.ts";
import {
  modifyAccountDefaults,
  NO_ACCOUNT_DEFAULTS,
  type AccountDefaultsChange,
  type AccountMetadataDefaults,
} from "./account-defaults.ts";
import { parseAccountDefaultsChange } from "./validate.ts";
import { resolveLaunchOptions } from "../precedence/resolve.ts";

const FULL: AccountMetadataDefaults = {
  httpTokens: "required",
  httpPutResponseHopLimit: 2,
  httpEndpoint: "enabled",
  instanceMetadataTags: "enabled",
  httpTokensEnforced: "enabled",
  managedBy: "account",
};

test("modifyAccountDefaults: an empty change keeps every field", () => {
  assert.deepEqual(modifyAccountDefaults(FULL, {}), FULL);
  assert.deepEqual(modifyAccountDefaults(NO_ACCOUNT_DEFAULTS, {}), { managedBy: "account" });
});

test("modifyAccountDefaults: sets the fields given and keeps the others", () => {
  const next = modifyAccountDefaults(FULL, { httpTokens: "optional", httpPutResponseHopLimit: 5 });
  assert.deepEqual(next, { ...FULL, httpTokens: "optional", httpPutResponseHopLimit: 5 });
});

test("modifyAccountDefaults: no-preference and hop limit -1 remove the field", () => {
  const next = modifyAccountDefaults(FULL, {
    httpTokens: "no-preference",
    httpPutResponseHopLimit: -1,
    httpEndpoint: "no-preference",
    instanceMetadataTags: "no-preference",
    httpTokensEnforced: "no-preference",
  });
  assert.deepEqual(next, { managedBy: "account" });
  for (const key of ["httpTokens", "httpPutResponseHopLimit", "httpEndpoint", "instanceMetadataTags", "httpTokensEnforced"]) {
    assert.ok(!(key in next), key);
  }
});

test("modifyAccountDefaults: does not change the current object", () => {
  const current = { ...FULL };
  modifyAccountDefaults(current, { httpTokens: "no-preference" });
  assert.deepEqual(current, FULL);
});

test("modifyAccountDefaults: defaults managed by a declarative policy can't be modified", () => {
  const managed: AccountMetadataDefaults = {
    httpTokens: "required",
    managedBy: "declarative-policy",
    managedExceptionMessage: "Ask the cloud team.https://example.com/imds",
  };
  assert.throws(
    () => modifyAccountDefaults(managed, { httpTokens: "optional" }),
    (err: unknown) =>
      err instanceof DomainError &&
      err.code === "UnsupportedOperation" &&
      err.message.endsWith(" Ask the cloud team.https://example.com/imds"),
  );
});

const arbChangeValue = <T extends string>(values: T[]) => fc.option(fc.constantFrom(...values, "no-preference" as const), { nil: undefined });

test("modifyAccountDefaults: each field is kept, cleared or replaced independently", () => {
  const arbCurrent = fc.record(
    {
      httpTokens: fc.constantFrom("optional" as const, "required" as const),
      httpPutResponseHopLimit: fc.integer({ min: 1, max: 64 }),
      httpEndpoint: fc.constantFrom("enabled" as const, "disabled" as const),
      instanceMetadataTags: fc.constantFrom("enabled" as const, "disabled" as const),
      httpTokensEnforced: fc.constantFrom("enabled" as const, "disabled" as const),
    },
    { requiredKeys: [] },
  );
  const arbChange: fc.Arbitrary<AccountDefaultsChange> = fc.record({
    httpTokens: arbChangeValue(["optional", "required"]),
    httpPutResponseHopLimit: fc.option(fc.constantFrom(-1, 1, 2, 64), { nil: undefined }),
    httpEndpoint: arbChangeValue(["enabled", "disabled"]),
    instanceMetadataTags: arbChangeValue(["enabled", "disabled"]),
    httpTokensEnforced: arbChangeValue(["enabled", "disabled"]),
  });
  fc.assert(
    fc.property(arbCurrent, arbChange, (fields, change) => {
      const current: AccountMetadataDefaults = { ...fields, managedBy: "account" };
      const next: Record<string, unknown> = { ...modifyAccountDefaults(current, change) };
      for (const key of Object.keys(change) as (keyof AccountDefaultsChange)[]) {
        const asked = change[key];
        const cleared = asked === "no-preference" || asked === -1;
        const expected = asked === undefined ? current[key] : cleared ? undefined : asked;
        assert.equal(next[key], expected, key);
        if (expected === undefined) assert.ok(!(key in next), key);
      }
      assert.equal(next.managedBy, "account");
    }),
  );
});

test("modifyAccountDefaults: a parsed request flows into launch resolution", () => {
  const set = modifyAccountDefaults(NO_ACCOUNT_DEFAULTS, parseAccountDefaultsChange({ HttpTokens: "required", HttpPutResponseHopLimit: "2" }));
  const launched = resolveLaunchOptions({ account: { ...set, region: "eu-west-3" }, image: { imageId: "ami-1", imdsSupport: null } });
  assert.equal(launched.options.httpTokens, "required");
  assert.equal(launched.options.httpPutResponseHopLimit, 2);
  assert.deepEqual(launched.sources.httpPutResponseHopLimit, { level: "account-defaults", region: "eu-west-3" });

  const cleared = modifyAccountDefaults(set, parseAccountDefaultsChange({ HttpPutResponseHopLimit: "-1" }));
  const relaunched = resolveLaunchOptions({ account: { ...cleared, region: "eu-west-3" }, image: { imageId: "ami-1", imdsSupport: "v2.0" } });
  assert.equal(relaunched.options.httpPutResponseHopLimit, 2);
  assert.equal(relaunched.sources.httpPutResponseHopLimit.level, "ami");
  assert.equal(relaunched.sources.httpTokens.level, "account-defaults");
});
