import assert from "node:assert/strict";
import { test } from "node:test";
import { expectOk, itemsOf } from "../../test/support/ec2-answers.ts";
import { ACCOUNT, launch, V2_IMAGE, withHarness } from "../../test/support/instances.ts";
import { DomainError } from "../domain/errors.ts";
import { explainInstance } from "./explain-service.ts";

test("explain-service: each option names the level that set it at launch", async () => {
  await withHarness(async (h) => {
    expectOk(await h.call("ModifyInstanceMetadataDefaults", { HttpPutResponseHopLimit: "1", InstanceMetadataTags: "enabled" }));
    const template = await h.call("CreateLaunchTemplate", {
      LaunchTemplateName: "web",
      "LaunchTemplateData.MetadataOptions.HttpEndpoint": "enabled",
    });
    expectOk(template);
    const [id] = await launch(h, { ImageId: V2_IMAGE, "LaunchTemplate.LaunchTemplateName": "web", "MetadataOptions.HttpProtocolIpv6": "enabled" });
    const e = explainInstance(h.services.explain, id!);
    assert.equal(e.accountId, ACCOUNT);
    assert.deepEqual(
      Object.fromEntries(Object.entries(e.options).map(([k, v]) => [k, [v.value, v.source]])),
      {
        HttpTokens: ["required", "ami"],
        HttpPutResponseHopLimit: [1, "account-defaults"],
        HttpEndpoint: ["enabled", "launch-template"],
        HttpProtocolIpv6: ["enabled", "launch-parameters"],
        InstanceMetadataTags: ["enabled", "account-defaults"],
      },
    );
    assert.match(e.options.HttpEndpoint.detail, /^lt-[0-9a-f]+ \(web\) version 1$/);
    assert.equal(e.relaunch.ok, true);
    assert.deepEqual(e.relaunch.options, e.options);
    assert.deepEqual(e.whatIf.map((w) => w.id), ["without-launch-parameters", "without-launch-template", "without-account-defaults", "ami-without-imds-support"]);
    const withoutAccount = e.whatIf.find((w) => w.id === "without-account-defaults")!;
    assert.deepEqual(withoutAccount.changes.map((c) => [c.field, c.from.value, c.to.value, c.to.source]), [
      ["HttpPutResponseHopLimit", 1, 2, "ami"],
      ["InstanceMetadataTags", "enabled", "disabled", "ec2-default"],
    ]);
  });
});

test("explain-service: a later ModifyInstanceMetadataOptions shows as modified after launch", async () => {
  await withHarness(async (h) => {
    const [id] = await launch(h, { "MetadataOptions.HttpTokens": "optional" });
    expectOk(await h.call("ModifyInstanceMetadataOptions", { InstanceId: id!, HttpTokens: "required" }));
    const e = explainInstance(h.services.explain, id!);
    assert.equal(e.options.HttpTokens.value, "required");
    assert.equal(e.options.HttpTokens.source, "modified-after-launch");
    assert.match(e.options.HttpTokens.detail, /^ModifyInstanceMetadataOptions at \d{4}-/);
    assert.equal(e.options.HttpPutResponseHopLimit.source, "ec2-default");
    // The launch parameter was overwritten, so a launch today falls back to the EC2 default.
    assert.equal(e.relaunch.options.HttpTokens.value, "optional");
    assert.equal(e.relaunch.options.HttpTokens.source, "ec2-default");
  });
});

test("explain-service: a launch today reflects account defaults changed since, and enforcement", async () => {
  await withHarness(async (h) => {
    const [id] = await launch(h);
    expectOk(await h.call("ModifyInstanceMetadataDefaults", { HttpTokens: "optional", HttpTokensEnforced: "enabled" }));
    const e = explainInstance(h.services.explain, id!);
    assert.equal(e.options.HttpTokens.source, "ec2-default");
    assert.equal(e.relaunch.options.HttpTokens.source, "account-defaults");
    assert.equal(e.relaunch.ok, false);
    assert.equal(e.relaunch.error?.code, "UnsupportedOperation");
    assert.equal(e.whatIf.find((w) => w.id === "ami-with-imds-support")!.ok, false);
    assert.equal(e.whatIf.find((w) => w.id === "without-account-defaults")!.ok, true);
  });
});

test("explain-service: an unknown instance is InvalidInstanceID.NotFound", async () => {
  await withHarness(async (h) => {
    assert.throws(() => explainInstance(h.services.explain, "i-0123456789abcdef0"), (e: unknown) => e instanceof DomainError && e.code === "InvalidInstanceID.NotFound");
    const result = await h.call("DescribeInstances");
    assert.deepEqual(itemsOf(result, "DescribeInstances", "reservationSet"), []);
  });
});
