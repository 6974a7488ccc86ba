import assert from "node:assert/strict";
import { test } from "node:test";
import { AccountDefaultsService } from "../../app/account-defaults-service.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import {
  accountLevel,
  ACCOUNT,
  createAccountsCaller,
  OTHER_ACCESS_KEY,
  withHarness,
} from "../../../test/support/images.ts";

const ACTION = "ModifyInstanceMetadataDefaults";
const ALL = { HttpTokens: "required", HttpPutResponseHopLimit: "3", HttpEndpoint: "enabled", InstanceMetadataTags: "disabled", HttpTokensEnforced: "enabled" };

test("ModifyInstanceMetadataDefaults: sets the fields given and answers return true", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, ALL);
    golden(ACTION, "success", result);
    assert.equal(expectOk(result).ModifyInstanceMetadataDefaultsResponse.return, "true");
    assert.deepEqual(await accountLevel(h.call), {
      httpTokens: "required",
      httpPutResponseHopLimit: "3",
      httpEndpoint: "enabled",
      instanceMetadataTags: "disabled",
      managedBy: "account",
      httpTokensEnforced: "enabled",
    });
  });
});

test("ModifyInstanceMetadataDefaults: a field not sent keeps its value", async () => {
  await withHarness(async (h) => {
    expectOk(await h.call(ACTION, ALL));
    expectOk(await h.call(ACTION, { HttpPutResponseHopLimit: "5" }));
    const level = await accountLevel(h.call);
    assert.equal(level.httpPutResponseHopLimit, "5");
    assert.equal(level.httpTokens, "required");
    assert.equal(level.httpTokensEnforced, "enabled");
    expectOk(await h.call(ACTION));
    assert.deepEqual(await accountLevel(h.call), level);
  });
});

test("ModifyInstanceMetadataDefaults: no-preference and hop limit -1 clear a field", async () => {
  await withHarness(async (h) => {
    expectOk(await h.call(ACTION, ALL));
    expectOk(await h.call(ACTION, { HttpTokens: "no-preference", HttpPutResponseHopLimit: "-1" }));
    assert.deepEqual(await accountLevel(h.call), {
      httpEndpoint: "enabled",
      instanceMetadataTags: "disabled",
      managedBy: "account",
      httpTokensEnforced: "enabled",
    });
    expectOk(await h.call(ACTION, { HttpEndpoint: "no-preference", InstanceMetadataTags: "no-preference", HttpTokensEnforced: "no-preference" }));
    assert.deepEqual(await accountLevel(h.call), { managedBy: "account" });
  });
});

test("ModifyInstanceMetadataDefaults: HttpTokensEnforced takes enabled and disabled", async () => {
  await withHarness(async (h) => {
    expectOk(await h.call(ACTION, { HttpTokensEnforced: "disabled" }));
    assert.equal((await accountLevel(h.call)).httpTokensEnforced, "disabled");
    expectOk(await h.call(ACTION, { HttpTokensEnforced: "enabled" }));
    assert.equal((await accountLevel(h.call)).httpTokensEnforced, "enabled");
  });
});

test("ModifyInstanceMetadataDefaults: a value outside the enum is InvalidParameterValue and changes nothing", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { HttpTokens: "no_preference" });
    assert.equal(
      expectError(result, "InvalidParameterValue"),
      "A value of 'no_preference' is not valid for HttpTokens. Specify one of 'optional', 'required' or 'no-preference' and try again.",
    );
    golden(ACTION, "invalid-http-tokens", result);
    expectError(await h.call(ACTION, { HttpTokens: "required", HttpEndpoint: "on" }), "InvalidParameterValue");
    expectError(await h.call(ACTION, { HttpTokensEnforced: "true" }), "InvalidParameterValue");
    assert.deepEqual(await accountLevel(h.call), { managedBy: "account" });
  });
});

test("ModifyInstanceMetadataDefaults: a hop limit outside -1 and 1-64 is InvalidParameterValue", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { HttpPutResponseHopLimit: "65" });
    expectError(result, "InvalidParameterValue");
    golden(ACTION, "invalid-hop-limit", result);
    for (const value of ["0", "-2", "abc", "", "2.5"]) {
      expectError(await h.call(ACTION, { HttpPutResponseHopLimit: value }), "InvalidParameterValue");
    }
    expectOk(await h.call(ACTION, { HttpPutResponseHopLimit: "64" }));
  });
});

test("ModifyInstanceMetadataDefaults: Regions and accounts are independent", async () => {
  await withHarness(async (h) => {
    const call = createAccountsCaller(h.services);
    expectOk(await call(ACTION, { HttpTokens: "required" }, { region: "eu-west-1" }));
    expectOk(await call(ACTION, { HttpTokens: "optional" }, { region: "eu-west-1", accessKeyId: OTHER_ACCESS_KEY }));
    expectOk(await call(ACTION, { HttpPutResponseHopLimit: "4" }, { region: "us-west-2" }));
    assert.deepEqual(await accountLevel(call, { region: "eu-west-1" }), { httpTokens: "required", managedBy: "account" });
    assert.deepEqual(await accountLevel(call, { region: "eu-west-1", accessKeyId: OTHER_ACCESS_KEY }), { httpTokens: "optional", managedBy: "account" });
    assert.deepEqual(await accountLevel(call, { region: "us-west-2" }), { httpPutResponseHopLimit: "4", managedBy: "account" });
    assert.deepEqual(await accountLevel(call, { region: "us-east-1" }), { managedBy: "account" });
  });
});

test("ModifyInstanceMetadataDefaults: under a declarative policy the call is UnsupportedOperation with the policy's message", async () => {
  await withHarness(async (h) => {
    new AccountDefaultsService(h.store).setDeclarativePolicy(ACCOUNT, "us-east-1", {
      ec2_attributes: {
        instance_metadata_defaults: { http_tokens: { "@@assign": "required" } },
        exception_message: { "@@assign": "Ask the platform team." },
      },
    });
    const result = await h.call(ACTION, { HttpTokens: "optional" });
    assert.match(expectError(result, "UnsupportedOperation"), /managed by a declarative policy.*Ask the platform team\.$/);
    golden(ACTION, "declarative-policy", result);
    assert.equal((await accountLevel(h.call)).httpTokens, "required");
    // Only that account and Region are locked.
    expectOk(await h.call(ACTION, { HttpTokens: "optional" }, { region: "eu-west-1" }));
  });
});

test("ModifyInstanceMetadataDefaults: DryRun answers DryRunOperation 412 and changes nothing", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { HttpTokens: "required", DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden(ACTION, "dry-run", result);
    assert.deepEqual(await accountLevel(h.call), { managedBy: "account" });
  });
});
