import assert from "node:assert/strict";
import { test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { DomainError } from "../domain/errors.ts";
import { servedRegions } from "../domain/regions.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";
import { verifySigV4 } from "./sigv4-verifier.ts";

const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const QUERY = { Action: "ModifyInstanceMetadataDefaults", Version: "2016-11-15", HttpTokens: "required" };

/** A GET presigned by @smithy/signature-v4, as the request arrives at the server. */
async function presigned({ region = "us-east-1", expiresIn = 300, secret = SECRET } = {}): Promise<RawQueryRequest> {
  const signer = new SignatureV4({ credentials: { accessKeyId: KEY, secretAccessKey: secret }, region, service: "ec2", sha256: Hash.bind(null, "sha256") });
  const request = await signer.presign(
    { method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/", query: { ...QUERY }, headers: { host: "127.0.0.1:4566" } },
    { signingDate: new Date(NOW), expiresIn },
  );
  const query = new URLSearchParams(request.query as Record<string, string>).toString();
  return { method: "GET", path: "/", query, headers: { host: "127.0.0.1:4566" }, body: Buffer.alloc(0) };
}

const options = { service: "ec2", nowMs: NOW, secretFor: (id: string) => (id === KEY ? { secretAccessKey: SECRET } : undefined), servesRegion: servedRegions("us-east-1") };

async function refusedWith(request: RawQueryRequest, code: string, opts = options): Promise<void> {
  await assert.rejects(verifySigV4(request, opts), (err: unknown) => err instanceof DomainError && err.code === code);
}

test("sigv4-presigned: a query-string signature is verified and names its key", async () => {
  assert.equal(await verifySigV4(await presigned(), options), KEY);
});

test("sigv4-presigned: a changed parameter, a wrong secret, an unknown key, expiry and a foreign Region are refused", async () => {
  const good = await presigned();
  await refusedWith({ ...good, query: good.query.replace("HttpTokens=required", "HttpTokens=optional") }, "SignatureDoesNotMatch");
  await refusedWith(await presigned({ secret: "other" }), "SignatureDoesNotMatch");
  await refusedWith(good, "AuthFailure", { ...options, secretFor: () => undefined });
  await refusedWith(await presigned({ expiresIn: 60 }), "RequestExpired", { ...options, nowMs: NOW + 61_000 });
  await refusedWith(await presigned({ region: "fake-region-9" }), "AuthFailure");
  await refusedWith({ ...good, query: good.query.replace(/X-Amz-Date=[^&]+&?/, "") }, "IncompleteSignature");
});
