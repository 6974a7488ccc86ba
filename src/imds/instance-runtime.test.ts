import { test } from "node:test";
import assert from "node:assert/strict";
import { anInstance, fakeSigner, LAUNCH_TIME_MS, seededRandom } from "../../test/support/imds-fixture.ts";
import { CredentialIssuer } from "../app/credential-issuer.ts";
import { InstanceRuntime, type IdentitySignatures, type SignatureSource } from "./instance-runtime.ts";
import type { PreparedResponse } from "./prepared-response.ts";

/** A signer whose answers the test releases one by one, recording what it was asked to sign. */
function controlledSigner(): SignatureSource & { documents: string[]; release(index: number, tag: string): void; fail(index: number): void } {
  const pending: Array<{ resolve: (s: IdentitySignatures) => void; reject: (e: Error) => void }> = [];
  const documents: string[] = [];
  return {
    documents,
    sign(document) {
      documents.push(document);
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
    release(index, tag) {
      pending[index]!.resolve({ pkcs7: `pkcs7-${tag}`, signature: `signature-${tag}`, rsa2048: `rsa2048-${tag}` });
    },
    fail(index) {
      pending[index]!.reject(new Error("signing failed"));
    },
  };
}

function runtimeWith(signer: SignatureSource, record = anInstance()): InstanceRuntime {
  return new InstanceRuntime(record, { credentials: new CredentialIssuer(seededRandom(3)), signer, connectionClose: false });
}

async function pkcs7(runtime: InstanceRuntime): Promise<string> {
  const response: PreparedResponse = await runtime.dynamicResponse("identity-pkcs7", "v1", LAUNCH_TIME_MS);
  return response.body.toString();
}

test("InstanceRuntime: the identity document is signed once and the signatures are reused", async () => {
  let calls = 0;
  const runtime = runtimeWith({ sign: (doc) => (calls++, fakeSigner.sign(doc)) });
  assert.equal(await pkcs7(runtime), "P");
  assert.equal(await pkcs7(runtime), "P");
  assert.equal((await runtime.dynamicResponse("identity-signature", "v1", LAUNCH_TIME_MS)).body.toString(), "S");
  assert.equal(calls, 1);
});

test("InstanceRuntime: a signature finished after the document changed is not kept for the new document", async () => {
  const signer = controlledSigner();
  const record = anInstance();
  const runtime = runtimeWith(signer, record);
  const inFlight = pkcs7(runtime);
  runtime.update({ ...record, privateIpv4: "10.0.9.9" });
  signer.release(0, "old");
  assert.equal(await inFlight, "pkcs7-old", "the request that started before the change gets what it waited for");

  const next = pkcs7(runtime);
  assert.equal(signer.documents.length, 2, "the new document is signed");
  assert.match(signer.documents[1]!, /"privateIp" : "10\.0\.9\.9"/);
  signer.release(1, "new");
  assert.equal(await next, "pkcs7-new");
  assert.equal(await pkcs7(runtime), "pkcs7-new");
});

test("InstanceRuntime: an update that keeps the document keeps the signatures", async () => {
  const signer = controlledSigner();
  const record = anInstance();
  const runtime = runtimeWith(signer, record);
  const first = pkcs7(runtime);
  signer.release(0, "a");
  await first;
  runtime.update({ ...record, tags: [{ key: "Name", value: "web" }] });
  assert.equal(await pkcs7(runtime), "pkcs7-a");
  assert.equal(signer.documents.length, 1);
});

test("InstanceRuntime: an old signing failing late does not discard the newer signing", async () => {
  const signer = controlledSigner();
  const record = anInstance();
  const runtime = runtimeWith(signer, record);
  const old = pkcs7(runtime).catch((e: Error) => e.message);
  runtime.update({ ...record, instanceType: "c7g.large" });
  const next = pkcs7(runtime);
  signer.fail(0);
  assert.equal(await old, "signing failed");
  signer.release(1, "new");
  assert.equal(await next, "pkcs7-new");
  assert.equal(await pkcs7(runtime), "pkcs7-new");
  assert.equal(signer.documents.length, 2, "no third signing");
});
