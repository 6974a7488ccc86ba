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

const ACTION = "GetInstanceMetadataDefaults";

test("GetInstanceMetadataDefaults: with nothing set, accountLevel holds only managedBy=account", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION);
    golden(ACTION, "nothing-set", result);
    assert.deepEqual(await accountLevel(h.call), { managedBy: "account" });
  });
});

test("GetInstanceMetadataDefaults: every set field, in the API reference's member order", async () => {
  await withHarness(async (h) => {
    expectOk(
      await h.call("ModifyInstanceMetadataDefaults", {
        HttpTokensEnforced: "enabled",
        InstanceMetadataTags: "enabled",
        HttpEndpoint: "enabled",
        HttpPutResponseHopLimit: "2",
        HttpTokens: "required",
      }),
    );
    const result = await h.call(ACTION);
    golden(ACTION, "all-set", result);
    assert.deepEqual(Object.keys(expectOk(result).GetInstanceMetadataDefaultsResponse.accountLevel), [
      "httpTokens",
      "httpPutResponseHopLimit",
      "httpEndpoint",
      "instanceMetadataTags",
      "managedBy",
      "httpTokensEnforced",
    ]);
  });
});

test("GetInstanceMetadataDefaults: a declarative policy shows as managedBy=declarative-policy with its message", async () => {
  await withHarness(async (h) => {
    new AccountDefaultsService(h.store).setDeclarativePolicy(ACCOUNT, "us-east-1", {
      ec2_attributes: {
        instance_metadata_defaults: { http_tokens: { "@@assign": "required" }, http_put_response_hop_limit: { "@@assign": "2" } },
        exception_message: { "@@assign": "IMDS settings are owned by the platform team: https://wiki.example/imds" },
      },
    });
    const result = await h.call(ACTION);
    golden(ACTION, "declarative-policy", result);
    assert.deepEqual(await accountLevel(h.call), {
      httpTokens: "required",
      httpPutResponseHopLimit: "2",
      managedBy: "declarative-policy",
      managedExceptionMessage: "IMDS settings are owned by the platform team: https://wiki.example/imds",
    });
  });
});

test("GetInstanceMetadataDefaults: each account and Region has its own defaults", async () => {
  await withHarness(async (h) => {
    const call = createAccountsCaller(h.services);
    expectOk(await call("ModifyInstanceMetadataDefaults", { HttpTokens: "required" }, { region: "eu-west-1" }));
    assert.deepEqual(await accountLevel(call, { region: "eu-west-1" }), { httpTokens: "required", managedBy: "account" });
    assert.deepEqual(await accountLevel(call, { region: "us-east-1" }), { managedBy: "account" });
    assert.deepEqual(await accountLevel(call, { region: "eu-west-1", accessKeyId: OTHER_ACCESS_KEY }), { managedBy: "account" });
  });
});

test("GetInstanceMetadataDefaults: DryRun answers DryRunOperation 412", async () => {
  await withHarness(async (h) => {
    const result = await h.call(ACTION, { DryRun: "true" });
    expectError(result, "DryRunOperation", { status: 412 });
    golden(ACTION, "dry-run", result);
  });
});
