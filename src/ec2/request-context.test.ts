import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { DEFAULT_ACCOUNT_ID } from "./constants.ts";
import { parseQueryParams } from "./query-params.ts";
import { deriveRequestContext, parseCredentialScope } from "./request-context.ts";

const SIGNED =
  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-west-2/ec2/aws4_request, " +
  "SignedHeaders=content-type;host;x-amz-date, Signature=0123abcd";

function assertDomainError(fn: () => unknown, code: string, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof DomainError && err.code === code && (message === undefined || message.test(err.message)));
}

describe("request-context", () => {
  it("request-context: region and access key from the SigV4 credential scope", () => {
    assert.deepEqual(deriveRequestContext({ authorization: SIGNED }), {
      region: "us-west-2",
      accessKeyId: "AKIDEXAMPLE",
      accountId: DEFAULT_ACCOUNT_ID,
    });
  });

  it("request-context: unsigned requests get us-east-1 (or the configured default) and no key", () => {
    assert.deepEqual(deriveRequestContext({}), { region: "us-east-1", accessKeyId: undefined, accountId: "123456789012" });
    assert.equal(deriveRequestContext({}, { defaultRegion: "eu-west-1" }).region, "eu-west-1");
  });

  it("request-context: the account comes from the resolver, given the access key", () => {
    const seen: (string | undefined)[] = [];
    const resolveAccountId = (key: string | undefined) => {
      seen.push(key);
      return key === "AKIDEXAMPLE" ? "111122223333" : "999999999999";
    };
    assert.equal(deriveRequestContext({ authorization: SIGNED }, { resolveAccountId }).accountId, "111122223333");
    assert.equal(deriveRequestContext({}, { resolveAccountId }).accountId, "999999999999");
    assert.deepEqual(seen, ["AKIDEXAMPLE", undefined]);
  });

  it("request-context: header names are matched case-insensitively and arrays use the first value", () => {
    assert.equal(deriveRequestContext({ Authorization: SIGNED }).region, "us-west-2");
    assert.equal(deriveRequestContext({ authorization: [SIGNED, "other"] }).region, "us-west-2");
  });

  it("request-context: presigned requests carry the scope in X-Amz-Credential", () => {
    const params = parseQueryParams({ query: "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQ%2F20261129%2Fap-south-1%2Fec2%2Faws4_request" });
    assert.deepEqual(deriveRequestContext({}, { params }), { region: "ap-south-1", accessKeyId: "AKIDQ", accountId: DEFAULT_ACCOUNT_ID });
  });

  it("request-context: malformed Authorization headers are IncompleteSignature", () => {
    assertDomainError(() => deriveRequestContext({ authorization: "AWS AKID:sig" }), "IncompleteSignature", /Unsupported Authorization Type/);
    assertDomainError(() => deriveRequestContext({ authorization: "" }), "IncompleteSignature");
    assertDomainError(() => deriveRequestContext({ authorization: "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=x" }), "IncompleteSignature", /requires 'Credential'/);
    assertDomainError(() => deriveRequestContext({ authorization: "AWS4-HMAC-SHA256 Credential=AKID/20261129/us-west-2, Signature=x" }), "IncompleteSignature", /exactly 5/);
  });

  it("request-context.parseCredentialScope: wrong service, terminator or region is SignatureDoesNotMatch", () => {
    assert.deepEqual(parseCredentialScope("AK/20261129/us-west-2/ec2/aws4_request"), {
      accessKeyId: "AK",
      date: "20261129",
      region: "us-west-2",
      service: "ec2",
    });
    assertDomainError(() => parseCredentialScope("AK/20261129/us-west-2/sts/aws4_request"), "SignatureDoesNotMatch", /correct service: 'ec2'/);
    assertDomainError(() => parseCredentialScope("AK/20261129/us-west-2/ec2/aws5_request"), "SignatureDoesNotMatch", /terminator/);
    assertDomainError(() => parseCredentialScope("AK/20261129/US WEST/ec2/aws4_request"), "SignatureDoesNotMatch", /valid region/);
    assertDomainError(() => parseCredentialScope("/20261129/us-west-2/ec2/aws4_request"), "IncompleteSignature");
  });

  it("request-context: echoed input is capped so a huge header cannot bloat the error", () => {
    const huge = "x".repeat(10_000);
    assert.throws(
      () => parseCredentialScope(huge),
      (err: unknown) => err instanceof DomainError && err.message.length < 400,
    );
  });
});
