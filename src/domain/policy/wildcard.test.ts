import assert from "node:assert/strict";
import { test } from "node:test";
import { resourceMatcher, wildcardMatcher } from "./wildcard.ts";

test("wildcard: * is any run, ? one character, everything else literal", () => {
  assert.ok(wildcardMatcher("ec2:Run*").test("ec2:RunInstances"));
  assert.ok(wildcardMatcher("ec2:*").test("ec2:"));
  assert.ok(wildcardMatcher("i-?bc").test("i-abc"));
  assert.ok(!wildcardMatcher("i-?bc").test("i-bc"));
  assert.ok(wildcardMatcher("a.b(c)[d]+$").test("a.b(c)[d]+$"));
  assert.ok(!wildcardMatcher("a.b").test("axb"));
});

test("wildcard: case is kept unless ignoreCase", () => {
  assert.ok(!wildcardMatcher("ec2:runinstances").test("ec2:RunInstances"));
  assert.ok(wildcardMatcher("ec2:runinstances", { ignoreCase: true }).test("ec2:RunInstances"));
});

test("wildcard: resource ARNs match segment by segment; * alone matches anything", () => {
  const instance = "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc";
  assert.ok(resourceMatcher("*").test(instance));
  assert.ok(resourceMatcher("arn:aws:ec2:*:*:instance/*").test(instance));
  assert.ok(!resourceMatcher("arn:aws:ec2:*:*:instance/*").test("arn:aws:ec2:us-east-1::image/ami-1"));
  assert.ok(resourceMatcher("arn:aws:ec2:*::image/*").test("arn:aws:ec2:us-east-1::image/ami-1"));
  // A wildcard does not reach across the colons of the first five segments...
  assert.ok(!resourceMatcher("arn:aws:ec2:*:instance/*").test(instance));
  // ...except a short ARN ending in one, which covers what it leaves out.
  assert.ok(resourceMatcher("arn:aws:ec2:*").test(instance));
  assert.ok(resourceMatcher("arn:aws:ec2:us-east-1:*").test(instance));
  assert.ok(!resourceMatcher("arn:aws:s3:*").test(instance));
  // The resource part keeps its own colons.
  assert.ok(resourceMatcher("arn:aws:logs:*:*:log-group:*").test("arn:aws:logs:us-east-1:1:log-group:g:log-stream:s"));
});
