import assert from "node:assert/strict";
import { test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { DomainError } from "../domain/errors.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";
import { MESSAGE_AUTH_FAILURE, MESSAGE_MISSING_KEY, MESSAGE_SIGNATURE_MISMATCH, verifySigV4 } from "./sigv4-verifier.ts";

const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const BODY = "Action=DescribeInstances&Version=2016-11-15";

/** Signs as the SDK v3 does: smithy over every header it sends (user-agent is left out by smithy). */
async function signed(options: { secret?: string; sessionToken?: string; body?: string; service?: string; dateMs?: number; extraHeaders?: Record<string, string> } = {}): Promise<RawQueryRequest> {
  const body = options.body ?? BODY;
  const signer = new SignatureV4({
    credentials: { accessKeyId: KEY, secretAccessKey: options.secret ?? SECRET, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) },
    region: "us-west-2",
    service: options.service ?? "ec2",
    sha256: Hash.bind(null, "sha256"),
  });
  const request = await signer.sign(
    {
      method: "POST",
      protocol: "http:",
      hostname: "127.0.0.1",
      port: 4566,
      path: "/",
      query: {},
      headers: { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded; charset=utf-8", "user-agent": "aws-sdk-js/3", ...options.extraHeaders },
      body,
    },
    { signingDate: new Date(options.dateMs ?? NOW) },
  );
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "POST", path: "/", query: "", headers, body: Buffer.from(body) };
}

const secrets = new Map([
  [KEY, { secretAccessKey: SECRET }],
  ["ASIAROLE", { secretAccessKey: SECRET, sessionToken: "TOKEN", expiresAtMs: NOW + 60_000 }],
]);
const options = { service: "ec2", nowMs: NOW, secretFor: (id: string) => secrets.get(id) };

async function refused(request: RawQueryRequest | Promise<RawQueryRequest>, code: string, message?: string, opts = options): Promise<void> {
  await assert.rejects(verifySigV4(await request, opts), (err: unknown) => err instanceof DomainError && err.code === code && (message === undefined || err.message === message));
}

test("sigv4-verifier: a request signed with the known secret is accepted and names its key", async () => {
  assert.equal(await verifySigV4(await signed(), options), KEY);
});

test("sigv4-verifier: a wrong secret, a changed body or a changed signed header is SignatureDoesNotMatch", async () => {
  await refused(signed({ secret: "not-the-secret" }), "SignatureDoesNotMatch", MESSAGE_SIGNATURE_MISMATCH);
  const tampered = await signed();
  await refused({ ...tampered, body: Buffer.from("Action=RunInstances&Version=2016-11-15") }, "SignatureDoesNotMatch");
  await refused({ ...tampered, headers: { ...tampered.headers, host: "evil.example:4566" } }, "SignatureDoesNotMatch");
  // A header that was not signed may change freely.
  await verifySigV4({ ...tampered, headers: { ...tampered.headers, "user-agent": "other" } }, options);
});

test("sigv4-verifier: a claimed payload hash must be the body's", async () => {
  const request = await signed({ extraHeaders: { "x-amz-content-sha256": "0".repeat(64) } });
  await refused(request, "SignatureDoesNotMatch");
});

test("sigv4-verifier: unknown keys are AuthFailure; unsigned requests miss AWSAccessKeyId", async () => {
  await refused(signed(), "AuthFailure", MESSAGE_AUTH_FAILURE, { ...options, secretFor: () => undefined });
  await refused({ method: "POST", path: "/", query: "", headers: {}, body: Buffer.from(BODY) }, "MissingParameter", MESSAGE_MISSING_KEY);
});

test("sigv4-verifier: temporary credentials need their session token, and expire", async () => {
  const withToken = async (token: string | undefined, nowMs = NOW) => {
    const request = await signed({ sessionToken: token ?? "x" });
    const authorization = String(request.headers.authorization).replace(KEY, "ASIAROLE");
    const headers: Record<string, string | string[] | undefined> = { ...request.headers, authorization };
    if (token === undefined) delete headers["x-amz-security-token"];
    return verifySigV4({ ...request, headers }, { ...options, nowMs });
  };
  // The access key id is not part of what is signed, so the same secret verifies under ASIAROLE.
  assert.equal(await withToken("TOKEN"), "ASIAROLE");
  await assert.rejects(withToken(undefined), (e: unknown) => e instanceof DomainError && e.code === "AuthFailure");
  await assert.rejects(withToken("WRONG"), (e: unknown) => e instanceof DomainError && e.code === "AuthFailure");
  await assert.rejects(withToken("TOKEN", NOW + 120_000), (e: unknown) => e instanceof DomainError && e.code === "AuthFailure");
});

test("sigv4-verifier: a session token signed by the client is verified with it", async () => {
  const role = new Map([[KEY, { secretAccessKey: SECRET, sessionToken: "TOKEN" }]]);
  assert.equal(await verifySigV4(await signed({ sessionToken: "TOKEN" }), { ...options, secretFor: (id) => role.get(id) }), KEY);
});

test("sigv4-verifier: more than 15 minutes of skew is RequestExpired; another service's scope does not match", async () => {
  await refused(signed({ dateMs: NOW - 16 * 60_000 }), "RequestExpired");
  await verifySigV4(await signed({ dateMs: NOW - 14 * 60_000 }), options);
  await refused(signed({ service: "sts" }), "SignatureDoesNotMatch");
  assert.equal(await verifySigV4(await signed({ service: "sts" }), { ...options, service: "sts" }), KEY);
});

test("sigv4-verifier: a malformed Authorization header is IncompleteSignature", async () => {
  const request = await signed();
  await refused({ ...request, headers: { ...request.headers, authorization: "AWS4-HMAC-SHA256 Credential=x/y" } }, "IncompleteSignature");
  await refused({ ...request, headers: { ...request.headers, authorization: "Basic abc" } }, "IncompleteSignature");
});
