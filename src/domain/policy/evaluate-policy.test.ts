import assert from "node:assert/strict";
import { test } from "node:test";
import { authorizeAll, authorizeRequest, evaluatePolicySet, type AuthorizationRequest } from "./evaluate-policy.ts";
import { parsePolicyDocument } from "./policy-document.ts";

const INSTANCE = "arn:aws:ec2:us-east-1:123456789012:instance/*";
const IMAGE = "arn:aws:ec2:us-east-1::image/ami-1";
const ALLOW_ALL = parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, "FullAWSAccess");
const ALLOW_EC2 = parsePolicyDocument({ Statement: [{ Sid: "Ec2", Effect: "Allow", Action: "ec2:*", Resource: "*" }] }, "ec2-admin");
const REQUIRE_V2 = parsePolicyDocument(
  { Statement: [{ Sid: "RequireImdsV2", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } } }] },
  "require-v2",
);

function run(context: Record<string, string>, resource = INSTANCE): AuthorizationRequest {
  return { action: "ec2:RunInstances", resource, context };
}

test("evaluate-policy: within one policy type a Deny beats any Allow, an Allow beats silence", () => {
  assert.equal(evaluatePolicySet([ALLOW_EC2, REQUIRE_V2], run({ "ec2:MetadataHttpTokens": "optional" }), "identity").decision, "ExplicitlyDenied");
  assert.equal(evaluatePolicySet([ALLOW_EC2, REQUIRE_V2], run({ "ec2:MetadataHttpTokens": "required" }), "identity").decision, "Allowed");
  assert.equal(evaluatePolicySet([REQUIRE_V2], run({ "ec2:MetadataHttpTokens": "required" }), "identity").decision, "ImplicitlyDenied");
  assert.equal(evaluatePolicySet([], run({}), "identity").decision, "ImplicitlyDenied");
});

test("evaluate-policy: the matched statements are the denies, or the allows when nothing denies", () => {
  const denied = evaluatePolicySet([ALLOW_EC2, REQUIRE_V2], run({}), "scp");
  assert.deepEqual(denied.matched.map((m) => [m.policyType, m.policyName, m.statement.sid]), [["scp", "require-v2", "RequireImdsV2"]]);
  const allowed = evaluatePolicySet([ALLOW_EC2, REQUIRE_V2], run({ "ec2:MetadataHttpTokens": "required" }), "identity");
  assert.deepEqual(allowed.matched.map((m) => m.statement.sid), ["Ec2"]);
});

test("evaluate-policy: an SCP is a ceiling; identity policies must allow too; explicit deny anywhere wins", () => {
  const request = run({ "ec2:MetadataHttpTokens": "required" });
  // Identity allows, SCPs allow: allowed.
  assert.equal(authorizeRequest({ identity: [ALLOW_EC2], scps: [ALLOW_ALL] }, request).decision, "Allowed");
  // SCP without an Allow (FullAWSAccess detached): implicitly denied by the SCP.
  assert.deepEqual(authorizeRequest({ identity: [ALLOW_EC2], scps: [REQUIRE_V2] }, request), { decision: "ImplicitlyDenied", deniedBy: "scp", matched: [] });
  // SCP allows, identity silent: implicitly denied by identity.
  assert.equal(authorizeRequest({ identity: [], scps: [ALLOW_ALL] }, request).deniedBy, "identity");
  // An identity Deny beats an SCP Allow, and an SCP Deny beats an identity Allow.
  const optional = run({ "ec2:MetadataHttpTokens": "optional" });
  assert.equal(authorizeRequest({ identity: [ALLOW_EC2, REQUIRE_V2], scps: [ALLOW_ALL] }, optional).deniedBy, "identity");
  assert.equal(authorizeRequest({ identity: [ALLOW_EC2], scps: [ALLOW_ALL, REQUIRE_V2] }, optional).deniedBy, "scp");
  // Both deny: AWS names the SCP.
  assert.equal(authorizeRequest({ identity: [REQUIRE_V2], scps: [ALLOW_ALL, REQUIRE_V2] }, optional).deniedBy, "scp");
});

test("evaluate-policy: a policy type that is not configured is not applied", () => {
  assert.equal(authorizeRequest({ identity: undefined, scps: undefined }, run({})).decision, "Allowed");
  assert.equal(authorizeRequest({ identity: undefined, scps: [ALLOW_ALL, REQUIRE_V2] }, run({})).decision, "ExplicitlyDenied");
  assert.equal(authorizeRequest({ identity: undefined, scps: [ALLOW_ALL, REQUIRE_V2] }, run({ "ec2:MetadataHttpTokens": "required" })).decision, "Allowed");
});

test("evaluate-policy: a call touching several resources needs all of them allowed; explicit denials come first", () => {
  const instanceOnly = parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*" }] }, "instances");
  const requests = [run({ "ec2:MetadataHttpTokens": "optional" }), run({}, IMAGE)];
  const implicit = authorizeAll({ identity: [instanceOnly], scps: undefined }, [run({}), run({}, IMAGE)]);
  assert.equal(implicit?.request.resource, IMAGE);
  assert.equal(implicit?.result.decision, "ImplicitlyDenied");
  const explicit = authorizeAll({ identity: [instanceOnly], scps: [ALLOW_ALL, REQUIRE_V2] }, [run({}, IMAGE), ...requests]);
  assert.equal(explicit?.result.decision, "ExplicitlyDenied");
  assert.equal(explicit?.request.resource, INSTANCE);
  assert.equal(authorizeAll({ identity: [ALLOW_EC2], scps: undefined }, requests), undefined);
});
