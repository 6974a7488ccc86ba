import assert from "node:assert/strict";
import { test } from "node:test";
import { conditionMatches, parseOperator, type ContextValues } from "./condition-operators.ts";

function matches(operator: string, key: string, values: string[], context: ContextValues): boolean {
  const parsed = parseOperator(operator);
  assert.ok(parsed, operator);
  return conditionMatches(parsed, key, values, context);
}

const TOKENS = "ec2:MetadataHttpTokens";
const HOP = "ec2:MetadataHttpPutResponseHopLimit";

test("condition operators: names parse with set prefixes and IfExists, case-insensitively", () => {
  assert.deepEqual(parseOperator("ForAnyValue:StringLikeIfExists"), { name: "ForAnyValue:StringLikeIfExists", set: "ForAnyValue", base: "StringLike", ifExists: true });
  assert.equal(parseOperator("stringequals")?.base, "stringequals");
  assert.equal(parseOperator("Null")?.base, "Null");
  for (const bad of ["StringSorta", "NullIfExists", "ForSomeValues:StringEquals", "ForAnyValue:Null", "IpAddress", "BinaryEquals"]) {
    assert.equal(parseOperator(bad), undefined, bad);
  }
});

test("condition operators: String* compare exactly, IgnoreCase folds case, Like takes wildcards", () => {
  assert.ok(matches("StringEquals", TOKENS, ["required"], { [TOKENS]: "required" }));
  assert.ok(!matches("StringEquals", TOKENS, ["required"], { [TOKENS]: "Required" }));
  assert.ok(matches("StringEqualsIgnoreCase", TOKENS, ["required"], { [TOKENS]: "Required" }));
  assert.ok(matches("StringLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/ec2-imds-admins"], { "aws:PrincipalArn": "arn:aws:iam::123456789012:role/ec2-imds-admins" }));
  assert.ok(matches("StringNotLike", "aws:PrincipalArn", ["arn:aws:iam::*:role/ec2-imds-admins"], { "aws:PrincipalArn": "arn:aws:iam::123456789012:user/dev" }));
  assert.ok(matches("StringNotEquals", TOKENS, ["required", "x"], { [TOKENS]: "optional" }));
  assert.ok(!matches("StringNotEquals", TOKENS, ["required", "optional"], { [TOKENS]: "optional" }));
});

test("condition operators: a missing key matches only negated operators, IfExists and Null true", () => {
  assert.ok(!matches("StringEquals", TOKENS, ["required"], {}));
  assert.ok(matches("StringNotEquals", TOKENS, ["required"], {}));
  assert.ok(matches("StringEqualsIfExists", TOKENS, ["required"], {}));
  assert.ok(!matches("NumericGreaterThan", HOP, ["3"], {}));
  assert.ok(matches("NumericLessThanIfExists", HOP, ["3"], {}));
  assert.ok(matches("Null", TOKENS, ["true"], {}));
  assert.ok(!matches("Null", TOKENS, ["false"], {}));
  assert.ok(matches("Null", TOKENS, ["false"], { [TOKENS]: "optional" }));
});

test("condition operators: keys are looked up case-insensitively", () => {
  assert.ok(matches("StringEquals", "EC2:metadatahttptokens", ["required"], { [TOKENS]: "required" }));
});

test("condition operators: Numeric* compare numbers; non-numbers never match", () => {
  assert.ok(matches("NumericGreaterThan", HOP, ["3"], { [HOP]: "5" }));
  assert.ok(!matches("NumericGreaterThan", HOP, ["3"], { [HOP]: "3" }));
  assert.ok(matches("NumericGreaterThanEquals", HOP, ["3"], { [HOP]: "3" }));
  assert.ok(matches("NumericLessThan", "ec2:RoleDelivery", ["2.0"], { "ec2:RoleDelivery": "1.0" }));
  assert.ok(!matches("NumericLessThan", "ec2:RoleDelivery", ["2.0"], { "ec2:RoleDelivery": "2.0" }));
  assert.ok(matches("NumericEquals", HOP, ["2"], { [HOP]: "2.0" }));
  assert.ok(matches("NumericNotEquals", HOP, ["1", "2"], { [HOP]: "3" }));
  assert.ok(!matches("NumericEquals", HOP, ["abc"], { [HOP]: "2" }));
  assert.ok(!matches("NumericNotEquals", HOP, ["abc"], { [HOP]: "2" }));
  assert.ok(!matches("NumericLessThan", HOP, ["3"], { [HOP]: "two" }));
});

test("condition operators: Bool reads true/false in any case", () => {
  assert.ok(matches("Bool", "aws:SecureTransport", ["false"], { "aws:SecureTransport": "False" }));
  assert.ok(!matches("Bool", "aws:SecureTransport", ["true"], { "aws:SecureTransport": "false" }));
  assert.ok(!matches("Bool", "aws:SecureTransport", ["true"], { "aws:SecureTransport": "yes" }));
});

test("condition operators: Date* compare ISO 8601 and epoch seconds", () => {
  const now = { "aws:CurrentTime": "2026-11-29T12:00:00Z" };
  assert.ok(matches("DateGreaterThan", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], now));
  assert.ok(matches("DateLessThan", "aws:CurrentTime", [String(Date.UTC(2027, 0, 1) / 1000)], now));
});

test("condition operators: a multivalued key needs a set operator", () => {
  const tags = { "aws:TagKeys": ["team", "env"] };
  assert.ok(!matches("StringEquals", "aws:TagKeys", ["team"], tags));
  assert.ok(matches("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], tags));
  assert.ok(!matches("ForAllValues:StringEquals", "aws:TagKeys", ["team"], tags));
  assert.ok(matches("ForAllValues:StringLike", "aws:TagKeys", ["team", "e*"], tags));
  // Absent or empty: ForAllValues holds vacuously, ForAnyValue does not.
  assert.ok(matches("ForAllValues:StringEquals", "aws:TagKeys", ["team"], {}));
  assert.ok(matches("ForAllValues:StringEquals", "aws:TagKeys", ["team"], { "aws:TagKeys": [] }));
  assert.ok(!matches("ForAnyValue:StringEquals", "aws:TagKeys", ["team"], {}));
  // A single value is a list of one for the set operators.
  assert.ok(matches("ForAnyValue:StringEquals", TOKENS, ["required"], { [TOKENS]: "required" }));
});

test("condition operators: ArnLike matches ARNs segment by segment", () => {
  assert.ok(matches("ArnLike", "ec2:SourceInstanceARN", ["arn:aws:ec2:*:*:instance/*"], { "ec2:SourceInstanceARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-1" }));
  assert.ok(matches("ArnNotEquals", "ec2:SourceInstanceARN", ["arn:aws:ec2:*:*:instance/i-2"], { "ec2:SourceInstanceARN": "arn:aws:ec2:us-east-1:123456789012:instance/i-1" }));
});
