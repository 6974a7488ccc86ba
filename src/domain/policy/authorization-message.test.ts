import assert from "node:assert/strict";
import { test } from "node:test";
import { decodedAuthorizationMessage, denialReason, extractEncodedMessage, unauthorizedOperationMessage } from "./authorization-message.ts";
import { authorizeRequest, type AuthorizationRequest } from "./evaluate-policy.ts";
import { parsePolicyDocument } from "./policy-document.ts";

const PRINCIPAL = { arn: "arn:aws:iam::123456789012:user/dev", accountId: "123456789012", id: "AKIDEXAMPLE" };
const REQUEST: AuthorizationRequest = {
  action: "ec2:RunInstances",
  resource: "arn:aws:ec2:us-east-1:123456789012:instance/*",
  context: { "aws:PrincipalArn": PRINCIPAL.arn, "ec2:InstanceType": "t3.micro", "ec2:MetadataHttpTokens": "optional" },
};
const SCP = [
  parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }, "FullAWSAccess"),
  parsePolicyDocument(
    { Statement: [{ Sid: "RequireImdsV2", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } } }] },
    "guardrails",
  ),
];

test("authorization message: EC2's sentence names the caller, action, resource and the kind of denial", () => {
  const result = authorizeRequest({ identity: undefined, scps: SCP }, REQUEST);
  assert.equal(
    unauthorizedOperationMessage(PRINCIPAL, REQUEST, result, "BLOB"),
    "You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/dev is not authorized to perform: " +
      "ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/* with an explicit deny in a service control policy. " +
      "Encoded authorization failure message: BLOB",
  );
  assert.equal(denialReason({ decision: "ExplicitlyDenied", deniedBy: "identity", matched: [] }, "ec2:RunInstances"), "with an explicit deny in an identity-based policy");
  assert.equal(denialReason({ decision: "ImplicitlyDenied", deniedBy: "identity", matched: [] }, "ec2:RunInstances"), "because no identity-based policy allows the ec2:RunInstances action");
  assert.equal(denialReason({ decision: "ImplicitlyDenied", deniedBy: "scp", matched: [] }, "ec2:RunInstances"), "because no service control policy allows the ec2:RunInstances action");
});

test("authorization message: the decoded form follows STS's layout, deciding keys first", () => {
  const result = authorizeRequest({ identity: undefined, scps: SCP }, REQUEST);
  const decoded = decodedAuthorizationMessage(PRINCIPAL, REQUEST, result);
  assert.equal(decoded.allowed, false);
  assert.equal(decoded.explicitDeny, true);
  assert.deepEqual(decoded.matchedStatements.items, [
    {
      statementId: "RequireImdsV2",
      effect: "DENY",
      principals: { items: [{ value: "*" }] },
      principalGroups: { items: [] },
      actions: { items: [{ value: "ec2:RunInstances" }] },
      resources: { items: [{ value: "arn:aws:ec2:*:*:instance/*" }] },
      conditions: { items: [{ key: "ec2:MetadataHttpTokens", values: { items: [{ value: "required" }] } }] },
    },
  ]);
  assert.deepEqual(decoded.context.principal, { id: "AKIDEXAMPLE", arn: PRINCIPAL.arn });
  assert.equal(decoded.context.action, "ec2:RunInstances");
  assert.deepEqual(decoded.context.conditions.items[0], { key: "ec2:MetadataHttpTokens", values: { items: [{ value: "optional" }] } });
  assert.equal(decoded.imdsLab.decidedBy, "service control policy");
  assert.deepEqual(decoded.imdsLab.statements, ['Deny RequireImdsV2 in SCP guardrails when StringNotEquals ec2:MetadataHttpTokens "required"']);
  assert.deepEqual(decoded.imdsLab.absentKeys, []);
});

test("authorization message: keys the deciding statement tests but the request lacks are listed", () => {
  const request = { ...REQUEST, context: { "ec2:InstanceType": "t3.micro" } };
  const decoded = decodedAuthorizationMessage(PRINCIPAL, request, authorizeRequest({ identity: undefined, scps: SCP }, request));
  assert.deepEqual(decoded.imdsLab.absentKeys, ["ec2:MetadataHttpTokens"]);
});

test("authorization message: the blob is found in a whole error text or taken as given", () => {
  assert.equal(extractEncodedMessage("An error occurred (UnauthorizedOperation) ... Encoded authorization failure message: abc.DEF_1-2\n"), "abc.DEF_1-2");
  assert.equal(extractEncodedMessage("  abc.DEF  "), "abc.DEF");
});
