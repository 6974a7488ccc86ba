import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import type { LaunchOptionsRequest } from "./resolve.ts";
import { resolveLaunchOptions } from "./resolve.ts";
import { explainLaunch, launchOutcome, whatIfScenarios } from "./what-if.ts";

const BASE: LaunchOptionsRequest = {
  account: { managedBy: "account", region: "us-east-1" },
  image: { imageId: "ami-1", imdsSupport: null },
};

test("what-if: the outcome is the resolution, with enforcement reported instead of thrown", () => {
  const ok = launchOutcome({ ...BASE, image: { imageId: "ami-1", imdsSupport: "v2.0" } });
  assert.equal(ok.ok, true);
  assert.equal(ok.resolved.options.httpTokens, "required");
  assert.deepEqual(ok.resolved.sources.httpTokens, { level: "ami", imageId: "ami-1" });
  const refused = launchOutcome({ ...BASE, launchParameters: { httpTokens: "optional" }, account: { ...BASE.account, httpTokensEnforced: "enabled" } });
  assert.equal(refused.ok, false);
  assert.equal(refused.ok ? undefined : refused.error.code, "UnsupportedOperation");
  assert.equal(refused.resolved.options.httpTokens, "optional");
});

test("what-if: one scenario per level present; the AMI flag is flipped either way", () => {
  assert.deepEqual(whatIfScenarios(BASE).map((s) => s.id), ["ami-with-imds-support"]);
  const full: LaunchOptionsRequest = {
    launchParameters: { httpTokens: "optional" },
    launchTemplate: { input: { httpPutResponseHopLimit: 3 }, templateId: "lt-1", templateName: "web", version: 2 },
    account: { managedBy: "account", region: "eu-west-1", httpTokens: "required" },
    image: { imageId: "ami-2", imdsSupport: "v2.0" },
  };
  assert.deepEqual(whatIfScenarios(full).map((s) => s.id), ["without-launch-parameters", "without-launch-template", "without-account-defaults", "ami-without-imds-support"]);
  // Empty launch parameters or template options are no level at all.
  assert.deepEqual(whatIfScenarios({ ...BASE, launchParameters: {} }).map((s) => s.id), ["ami-with-imds-support"]);
});

test("what-if: the user guide's example 1 explained: HttpTokens from the AMI, hop limit from the account", () => {
  const request: LaunchOptionsRequest = { account: { managedBy: "account", region: "us-east-1", httpPutResponseHopLimit: 1 }, image: { imageId: "ami-2", imdsSupport: "v2.0" } };
  const { outcome, whatIf } = explainLaunch(request);
  assert.equal(outcome.resolved.sources.httpTokens.level, "ami");
  assert.equal(outcome.resolved.sources.httpPutResponseHopLimit.level, "account-defaults");
  const withoutAccount = whatIf.find((w) => w.id === "without-account-defaults")!;
  assert.deepEqual(withoutAccount.changes.map((c) => [c.field, c.from.value, c.to.value, c.to.source.level]), [["httpPutResponseHopLimit", 1, 2, "ami"]]);
  const withoutAmi = whatIf.find((w) => w.id === "ami-without-imds-support")!;
  assert.deepEqual(withoutAmi.changes.map((c) => [c.field, c.to.value, c.to.source.level]), [["httpTokens", "optional", "ec2-default"]]);
});

test("what-if: removing enforcement's trigger shows the launch would pass", () => {
  const request: LaunchOptionsRequest = { ...BASE, launchParameters: { httpTokens: "optional" }, account: { ...BASE.account, httpTokens: "required", httpTokensEnforced: "enabled" } };
  const { outcome, whatIf } = explainLaunch(request);
  assert.equal(outcome.ok, false);
  assert.equal(whatIf.find((w) => w.id === "without-launch-parameters")!.outcome.ok, true);
  assert.equal(whatIf.find((w) => w.id === "without-account-defaults")!.outcome.ok, true);
});

const arbRequest: fc.Arbitrary<LaunchOptionsRequest> = fc.record({
  launchParameters: fc.record({ httpTokens: fc.constantFrom("optional" as const, "required" as const), httpPutResponseHopLimit: fc.integer({ min: 1, max: 64 }) }, { requiredKeys: [] }),
  account: fc.record(
    {
      managedBy: fc.constant("account" as const),
      region: fc.constant("us-east-1"),
      httpTokens: fc.constantFrom("optional" as const, "required" as const),
      httpTokensEnforced: fc.constantFrom("enabled" as const, "disabled" as const),
    },
    { requiredKeys: ["managedBy", "region"] },
  ),
  image: fc.record({ imageId: fc.constant("ami-1"), imdsSupport: fc.constantFrom("v2.0" as const, null) }),
});

test("what-if: each scenario's outcome is exactly what resolveLaunchOptions gives for its request", () => {
  fc.assert(
    fc.property(arbRequest, (request) => {
      for (const scenario of whatIfScenarios(request)) {
        const outcome = launchOutcome(scenario.request);
        let expected;
        try {
          expected = resolveLaunchOptions(scenario.request);
        } catch {
          assert.equal(outcome.ok, false);
          continue;
        }
        assert.equal(outcome.ok, true);
        assert.deepEqual(outcome.resolved, expected);
      }
    }),
  );
});
