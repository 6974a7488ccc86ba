import assert from "node:assert/strict";
import { test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { DomainError } from "../domain/errors.ts";
import { servedRegions } from "../domain/regions.ts";
import { toQueryError } from "../ec2/errors.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";
import { verifySigV4 } from "./sigv4-verifier.ts";

const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const BODY = "Action=DescribeInstances&Version=2016-11-15";

async function signedIn(region: string): Promise<RawQueryRequest> {
  const signer = new SignatureV4({ credentials: { accessKeyId: KEY, secretAccessKey: SECRET }, region, service: "ec2", sha256: Hash.bind(null, "sha256") });
  const request = await signer.sign(
    { method: "POST", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/", query: {}, headers: { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded" }, body: BODY },
    { signingDate: new Date(NOW) },
  );
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: "POST", path: "/", query: "", headers, body: Buffer.from(BODY) };
}

const options = { service: "ec2", nowMs: NOW, secretFor: (id: string) => (id === KEY ? { secretAccessKey: SECRET } : undefined), servesRegion: servedRegions("us-east-1") };

/** Issue 11, reproduction 9: a correctly signed scope naming `fake-region-9` was accepted. */
test("sigv4-verifier: a scope naming a Region the endpoint does not serve is AuthFailure 401, even when the signature is right", async () => {
  await assert.rejects(verifySigV4(await signedIn("fake-region-9"), options), (err: unknown) => {
    assert.ok(err instanceof DomainError);
    assert.equal(err.code, "AuthFailure");
    assert.equal(err.message, "Credential should be scoped to a valid region, not 'fake-region-9'.");
    assert.equal(toQueryError(err, "r").status, 401);
    return true;
  });
  assert.equal(await verifySigV4(await signedIn("eu-west-1"), options), KEY);
  assert.equal(await verifySigV4(await signedIn("xx-lab-1"), { ...options, servesRegion: servedRegions("xx-lab-1") }), KEY, "the configured --region is served");
});
