import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { resolveInstanceProfile } from "./instance-profile.ts";

test("instance-profile: a name is the role; an ARN's last segment is the name and the ARN is kept", () => {
  assert.equal(resolveInstanceProfile(undefined), null);
  assert.equal(resolveInstanceProfile({}), null);
  assert.deepEqual(resolveInstanceProfile({ name: "web" }), { name: "web", arn: null });
  const arn = "arn:aws:iam::123456789012:instance-profile/a/b/web";
  assert.deepEqual(resolveInstanceProfile({ arn }), { name: "web", arn });
  assert.deepEqual(resolveInstanceProfile({ name: "web", arn }), { name: "web", arn });
});

test("instance-profile: malformed names and ARNs, and a name contradicting the ARN, are refused", () => {
  const code = (request: { name?: string; arn?: string }) => {
    try {
      resolveInstanceProfile(request);
    } catch (err) {
      return (err as DomainError).code;
    }
    return "none";
  };
  assert.equal(code({ name: "" }), "InvalidParameterValue");
  assert.equal(code({ name: "a b" }), "InvalidParameterValue");
  assert.equal(code({ arn: "arn:aws:iam::123456789012:role/web" }), "InvalidParameterValue");
  assert.equal(code({ name: "api", arn: "arn:aws:iam::123456789012:instance-profile/web" }), "InvalidParameterCombination");
});
