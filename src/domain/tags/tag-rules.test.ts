import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../errors.ts";
import { assertTagLimit, assertUserTag, isAwsReservedKey, MAX_USER_TAGS, mergeTags, removeTags } from "./tag-rules.ts";

const tags = (...pairs: string[]) => pairs.map((p) => ({ key: p.split("=")[0]!, value: p.split("=")[1] ?? "" }));

test("tag-rules: the aws: prefix is reserved in any case, and only as a prefix", () => {
  assert.ok(isAwsReservedKey("aws:x"));
  assert.ok(isAwsReservedKey("AWS:x"));
  assert.ok(isAwsReservedKey("Aws:"));
  assert.ok(!isAwsReservedKey("aws"));
  assert.ok(!isAwsReservedKey("my:aws:x"));
  assert.throws(() => assertUserTag({ key: "aws:x", value: "" }, "launch"), (e: DomainError) => e.code === "InvalidParameterValue");
});

test("tag-rules: keys are 1-128 characters and values at most 256", () => {
  assertUserTag({ key: "k".repeat(128), value: "v".repeat(256) }, "tagging");
  assert.throws(() => assertUserTag({ key: "", value: "" }, "tagging"), DomainError);
  assert.throws(() => assertUserTag({ key: "k".repeat(129), value: "" }, "tagging"), DomainError);
  assert.throws(() => assertUserTag({ key: "k", value: "v".repeat(257) }, "tagging"), DomainError);
});

test("tag-rules: more than 50 user tags is TagLimitExceeded; aws: tags do not count", () => {
  const fifty = Array.from({ length: MAX_USER_TAGS }, (_, i) => ({ key: `k${i}`, value: "" }));
  assertTagLimit([...fifty, ...tags("aws:ec2launchtemplate:id=lt-1")]);
  assert.throws(() => assertTagLimit([...fifty, ...tags("one-more")]), (e: DomainError) => e.code === "TagLimitExceeded");
});

test("tag-rules: merging keeps first positions and lets the override win per key", () => {
  assert.deepEqual(mergeTags(tags("a=1", "b=2"), tags("b=3", "c=4")), tags("a=1", "b=3", "c=4"));
});

test("tag-rules: removal by key, by key and value, and of every user tag", () => {
  const current = tags("a=1", "b=2", "c=", "aws:x=y");
  assert.deepEqual(removeTags(current, [{ key: "a" }]), tags("b=2", "c=", "aws:x=y"));
  assert.deepEqual(removeTags(current, [{ key: "b", value: "9" }]), current);
  assert.deepEqual(removeTags(current, [{ key: "c", value: "" }]), tags("a=1", "b=2", "aws:x=y"));
  assert.deepEqual(removeTags(current, undefined), tags("aws:x=y"));
});
