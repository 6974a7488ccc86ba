import assert from "node:assert/strict";
import { test } from "node:test";
import { seededRandom } from "../../test/support/ec2-harness.ts";
import { CredentialIssuer } from "../app/credential-issuer.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import { parseGovernanceDocument } from "./governance-config.ts";
import { GovernanceState } from "./governance-state.ts";
import { Principals } from "./principals.ts";

const HOUR = 3_600_000;
const INSTANCE = { instanceId: "i-0abc", accountId: "210987654321", iamRole: { roleName: "app" } } as unknown as InstanceRecord;
const instance = () => ({ record: { region: "eu-west-1" } }) as unknown as Instance;

function setup() {
  const state = new GovernanceState();
  state.apply(parseGovernanceDocument({ accessKeys: [{ accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "s", principalArn: "arn:aws:iam::123456789012:user/dev" }] }, { accountId: "123456789012", region: "us-east-1" }));
  const credentials = new CredentialIssuer(seededRandom(3));
  return { credentials, principals: new Principals({ state, credentials, instance, defaultAccountId: "123456789012" }) };
}

test("principals: governance keys, IMDS role credentials and anyone else", () => {
  const { credentials, principals } = setup();
  assert.deepEqual(principals.callerOf("AKIAIOSFODNN7EXAMPLE", "123456789012"), {
    arn: "arn:aws:iam::123456789012:user/dev",
    principalArn: "arn:aws:iam::123456789012:user/dev",
    accountId: "123456789012",
    id: "AKIAIOSFODNN7EXAMPLE",
  });
  const issued = JSON.parse(credentials.credentials(INSTANCE, "role", "v2", 0).body);
  const role = principals.callerOf(issued.AccessKeyId, "210987654321");
  assert.equal(role.arn, "arn:aws:sts::210987654321:assumed-role/app/i-0abc");
  assert.equal(role.principalArn, "arn:aws:iam::210987654321:role/app");
  assert.equal(role.roleDelivery, "2.0");
  assert.equal(role.sourceInstanceArn, "arn:aws:ec2:eu-west-1:210987654321:instance/i-0abc");
  assert.equal(principals.accountOf(issued.AccessKeyId), "210987654321");
  assert.equal(principals.secretFor(issued.AccessKeyId)?.sessionToken, issued.Token);
  assert.equal(principals.accountOf("AKIASOMEONEELSE00000"), "123456789012");
  assert.equal(principals.secretFor("AKIASOMEONEELSE00000"), undefined);
  assert.deepEqual(principals.callerOf(undefined, "123456789012"), { arn: "arn:aws:iam::123456789012:root", principalArn: "arn:aws:iam::123456789012:root", accountId: "123456789012", id: "anonymous" });
});

test("principals: replaced role credentials stay valid until they expire, as on EC2", () => {
  const { credentials, principals } = setup();
  const first = JSON.parse(credentials.credentials(INSTANCE, "role", "v1", 0).body);
  const second = JSON.parse(credentials.credentials(INSTANCE, "role", "v1", 5.5 * HOUR).body);
  assert.notEqual(first.AccessKeyId, second.AccessKeyId);
  assert.ok(principals.secretFor(first.AccessKeyId), "the replaced set still verifies");
  credentials.credentials(INSTANCE, "role", "v1", 11 * HOUR);
  assert.equal(principals.secretFor(first.AccessKeyId), undefined, "gone once expired");
  credentials.forget("i-0abc");
  assert.equal(principals.secretFor(second.AccessKeyId), undefined);
});
