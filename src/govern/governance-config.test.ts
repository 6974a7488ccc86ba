import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { INVALID_GOVERNANCE, parseGovernanceDocument, readGovernanceFile } from "./governance-config.ts";
import { FULL_AWS_ACCESS, GovernanceState } from "./governance-state.ts";

const DEFAULTS = { accountId: "123456789012", region: "us-east-1" };
const DENY_ALL = { Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] };

test("governance config: keys default to the emulator's account and its root user", () => {
  const config = parseGovernanceDocument({ accessKeys: [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s" }] }, DEFAULTS);
  assert.deepEqual(config.accessKeys, [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s", accountId: "123456789012", principalArn: "arn:aws:iam::123456789012:root" }]);
  assert.equal(config.conditionKeyValues, undefined);
});

test("governance config: policies are documents or { name, document }, one or many", () => {
  const config = parseGovernanceDocument(
    {
      identityPolicies: { "arn:aws:iam::123456789012:user/dev": DENY_ALL, "arn:aws:iam::123456789012:role/app": [{ name: "deny", document: DENY_ALL }, DENY_ALL] },
      scps: { "123456789012": [DENY_ALL], "210987654321": { fullAwsAccess: false, policies: { name: "only", document: DENY_ALL } } },
    },
    DEFAULTS,
  );
  assert.deepEqual(config.identityPolicies.get("arn:aws:iam::123456789012:user/dev")!.map((p) => p.name), ["dev#1"]);
  assert.deepEqual(config.identityPolicies.get("arn:aws:iam::123456789012:role/app")!.map((p) => p.name), ["deny", "app#2"]);
  assert.equal(config.scps.get("123456789012")!.fullAwsAccess, true);
  assert.deepEqual(config.scps.get("210987654321")!.policies.map((p) => p.name), ["only"]);
  assert.equal(config.scps.get("210987654321")!.fullAwsAccess, false);
});

test("governance config: declarative policies default to the emulator's account and Region", () => {
  const config = parseGovernanceDocument({ declarativePolicies: [{ policy: {} }, { accountId: "210987654321", regions: ["eu-west-1", "us-west-2"], policy: {} }] }, DEFAULTS);
  assert.deepEqual(config.declarativePolicies.map((d) => [d.accountId, d.regions]), [
    ["123456789012", ["us-east-1"]],
    ["210987654321", ["eu-west-1", "us-west-2"]],
  ]);
});

test("governance config: mistakes are refused with the path, malformed policies with IAM's code", () => {
  const refuses = (doc: unknown, code: string, fragment: RegExp) =>
    assert.throws(() => parseGovernanceDocument(doc, DEFAULTS), (e: unknown) => e instanceof DomainError && e.code === code && fragment.test(e.message));
  refuses({ accessKeys: [{ accessKeyId: "short", secretAccessKey: "s" }] }, INVALID_GOVERNANCE, /accessKeys\.0\.accessKeyId/);
  refuses({ scps: { "12345": [DENY_ALL] } }, INVALID_GOVERNANCE, /scps/);
  refuses({ identityPolicy: {} }, INVALID_GOVERNANCE, /identityPolicy/);
  refuses({ conditionKeyValues: "sometimes" }, INVALID_GOVERNANCE, /conditionKeyValues/);
  refuses({ scps: { "123456789012": [{ Statement: [{ Effect: "Maybe", Action: "*" }] }] } }, "MalformedPolicyDocument", /scp-123456789012#1/);
});

test("governance config: the file may be YAML or JSON", () => {
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-gov-"));
  writeFileSync(join(dir, "g.yaml"), "conditionKeyValues: resolved\nscps:\n  \"123456789012\":\n    - Statement:\n        - { Effect: Deny, Action: 'ec2:*', Resource: '*' }\n");
  writeFileSync(join(dir, "g.json"), JSON.stringify({ accessKeys: [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s" }] }));
  assert.equal(readGovernanceFile(join(dir, "g.yaml"), DEFAULTS).conditionKeyValues, "resolved");
  assert.equal(readGovernanceFile(join(dir, "g.json"), DEFAULTS).accessKeys.length, 1);
  assert.throws(() => readGovernanceFile(join(dir, "missing.yaml"), DEFAULTS), /cannot read governance file/);
});

test("governance state: FullAWSAccess comes first unless detached; nothing configured means not governed", () => {
  const state = new GovernanceState();
  assert.equal(state.hasPolicies(), false);
  state.apply(parseGovernanceDocument({ scps: { "123456789012": [DENY_ALL], "210987654321": { fullAwsAccess: false, policies: [DENY_ALL] } } }, DEFAULTS));
  assert.equal(state.hasPolicies(), true);
  assert.equal(state.scpsFor("123456789012")![0], FULL_AWS_ACCESS);
  assert.equal(state.scpsFor("210987654321")!.length, 1);
  assert.equal(state.scpsFor("999999999999"), undefined);
  assert.equal(state.identityPoliciesFor("arn:aws:iam::123456789012:user/dev"), undefined);
  state.setScps("123456789012", undefined);
  assert.equal(state.scpsFor("123456789012"), undefined);
});

test("governance state: the snapshot never shows secrets", () => {
  const state = new GovernanceState();
  state.apply(parseGovernanceDocument({ accessKeys: [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "top-secret" }] }, DEFAULTS));
  assert.ok(!JSON.stringify(state.snapshot()).includes("top-secret"));
  state.clear();
  assert.equal(state.accessKey("AKIAIOSFODNN7EXAMPLE"), undefined);
});
