import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../errors.ts";
import { MALFORMED_POLICY_DOCUMENT, parsePolicyDocument } from "./policy-document.ts";

function refused(document: unknown, fragment: RegExp): void {
  assert.throws(
    () => parsePolicyDocument(document, "p"),
    (err: unknown) => err instanceof DomainError && err.code === MALFORMED_POLICY_DOCUMENT && fragment.test(err.message),
  );
}

test("policy document: a single statement object, scalar elements and JSON text are accepted", () => {
  const text = JSON.stringify({ Version: "2012-10-17", Statement: { Sid: "A", Effect: "Allow", Action: "ec2:Run*", Resource: "*", Condition: { NumericLessThan: { "ec2:MetadataHttpPutResponseHopLimit": 3 }, Bool: { "aws:SecureTransport": false } } } });
  const policy = parsePolicyDocument(text, "p");
  assert.equal(policy.statements.length, 1);
  const [statement] = policy.statements;
  assert.equal(statement!.sid, "A");
  assert.equal(statement!.effect, "Allow");
  assert.ok(statement!.actions![0]!.test("ec2:RunInstances"));
  assert.deepEqual(
    statement!.conditions.map((c) => [c.operator.base, c.key, c.values]),
    [
      ["NumericLessThan", "ec2:MetadataHttpPutResponseHopLimit", ["3"]],
      ["Bool", "aws:SecureTransport", ["false"]],
    ],
  );
});

test("policy document: statements without a Sid are named after the policy and their index", () => {
  const policy = parsePolicyDocument({ Statement: [{ Effect: "Deny", NotAction: ["s3:*"], NotResource: "arn:aws:s3:::x" }] }, "guard");
  assert.equal(policy.statements[0]!.sid, "guard#0");
  assert.equal(policy.statements[0]!.hasSid, false);
});

test("policy document: an SCP statement without Resource applies to every resource", () => {
  const policy = parsePolicyDocument({ Statement: [{ Effect: "Deny", Action: "ec2:*" }] }, "scp");
  assert.ok(policy.statements[0]!.resources![0]!.test("arn:aws:ec2:us-east-1::image/ami-1"));
});

test("policy document: refuses what IAM refuses, naming the place", () => {
  refused("{", /not valid JSON/);
  refused([], /JSON object/);
  refused({ Version: "2012-10-18", Statement: [] }, /Version/);
  refused({ Version: "2012-10-17" }, /needs a Statement/);
  refused({ Statement: [{ Effect: "Permit", Action: "*", Resource: "*" }] }, /Statement\[0\]\.Effect/);
  refused({ Statement: [{ Effect: "Allow", Resource: "*" }] }, /exactly one of Action or NotAction/);
  refused({ Statement: [{ Effect: "Allow", Action: "*", NotAction: "s3:*", Resource: "*" }] }, /exactly one of Action or NotAction/);
  refused({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*", NotResource: "*" }] }, /both Resource and NotResource/);
  refused({ Statement: [{ Effect: "Allow", Action: "RunInstances", Resource: "*" }] }, /service:action/);
  refused({ Statement: [{ Effect: "Allow", Action: [], Resource: "*" }] }, /non-empty/);
  refused({ Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }, /Principal/);
  refused({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringSorta: { k: "v" } } }] }, /unknown or unsupported operator 'StringSorta'/);
  refused({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: "v" } }] }, /object of condition keys/);
  refused({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { k: [] } } }] }, /at least one value/);
  refused({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { StringEquals: { k: { x: 1 } } } }] }, /strings, numbers or booleans/);
});
