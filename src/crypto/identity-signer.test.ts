import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createIdentitySigner,
  createSigningAuthority,
  type IdentitySignatures,
  type SigningAuthorityMaterial,
} from "./identity-signer.ts";

// Shaped like a real IMDS document: JSON pretty-printed with two spaces.
const DOCUMENT = JSON.stringify(
  {
    accountId: "123456789012",
    architecture: "x86_64",
    availabilityZone: "us-east-1a",
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: "ami-0abcdef1234567890",
    instanceId: "i-1234567890abcdef0",
    instanceType: "t3.micro",
    kernelId: null,
    pendingTime: "2025-01-02T03:04:05Z",
    privateIp: "10.0.1.23",
    ramdiskId: null,
    region: "us-east-1",
    version: "2017-09-30",
  },
  null,
  2,
);
const NOW = new Date("2025-01-02T03:04:05.678Z");
const COMMON_NAME = "imds-lab test authority";

let dir: string;
let material: SigningAuthorityMaterial;
let signed: IdentitySignatures;
let keyGenerationMs: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "identity-signer-"));
  const started = performance.now();
  material = await createSigningAuthority({ commonName: COMMON_NAME, now: NOW });
  keyGenerationMs = performance.now() - started;
  signed = await createIdentitySigner(material).sign(DOCUMENT);
  write("document", DOCUMENT);
  write("dsa.pem", material.dsaCertificatePem);
  write("rsa.pem", material.rsaCertificatePem);
  // Armoured exactly as the AWS verify-iid instructions tell users to do it.
  write("pkcs7.pem", `-----BEGIN PKCS7-----\n${signed.pkcs7}\n-----END PKCS7-----\n`);
  write("rsa2048.pem", `-----BEGIN PKCS7-----\n${signed.rsa2048}\n-----END PKCS7-----\n`);
  write("signature.bin", Buffer.from(signed.signature, "base64"));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

function openssl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("openssl", args, { cwd: dir, encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function smimeVerify(pkcs7File: string, certFile: string, contentFile: string | null, outFile: string) {
  const content = contentFile === null ? [] : ["-content", contentFile];
  return openssl("smime", "-verify", "-in", pkcs7File, "-inform", "PEM", ...content, "-certfile", certFile, "-noverify", "-out", outFile);
}

for (const [field, pkcs7File, certFile] of [
  ["pkcs7", "pkcs7.pem", "dsa.pem"],
  ["rsa2048", "rsa2048.pem", "rsa.pem"],
] as const) {
  test(`identity-signer: ${field} verifies with openssl smime and carries the document byte-for-byte`, () => {
    const withContent = smimeVerify(pkcs7File, certFile, "document", `${field}.out`);
    assert.equal(withContent.status, 0, withContent.stderr);
    assert.match(withContent.stderr, /Verification successful/);
    assert.deepEqual(readFileSync(join(dir, `${field}.out`)), Buffer.from(DOCUMENT, "utf8"));

    const embedded = smimeVerify(pkcs7File, certFile, null, `${field}.embedded.out`);
    assert.equal(embedded.status, 0, embedded.stderr);
    assert.deepEqual(readFileSync(join(dir, `${field}.embedded.out`)), Buffer.from(DOCUMENT, "utf8"));
  });
}

test("identity-signer: signature verifies with openssl dgst -sha256 against the RSA certificate", () => {
  const pub = openssl("x509", "-in", "rsa.pem", "-pubkey", "-noout");
  assert.equal(pub.status, 0, pub.stderr);
  write("rsa-pub.pem", pub.stdout);
  const result = openssl("dgst", "-sha256", "-verify", "rsa-pub.pem", "-signature", "signature.bin", "document");
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /Verified OK/);
});

test("identity-signer: pkcs7 is SHA-1 with DSA and rsa2048 is SHA-256 with RSA, neither embedding a certificate", () => {
  const dsa = openssl("cms", "-cmsout", "-print", "-in", "pkcs7.pem", "-inform", "PEM");
  assert.equal(dsa.status, 0, dsa.stderr);
  assert.match(dsa.stdout, /digestAlgorithm: \n\s+algorithm: sha1 /);
  assert.match(dsa.stdout, /signatureAlgorithm: \n\s+algorithm: dsaWithSHA1 /);
  assert.doesNotMatch(dsa.stdout, /sha256|rsaEncryption/);
  assert.match(dsa.stdout, /certificates:\n\s+<ABSENT>/);
  // DER order of the SET OF, which is also the order OpenSSL writes.
  const attributes = [...dsa.stdout.matchAll(/object: (\w+) \(/g)].map((m) => m[1]);
  assert.deepEqual(attributes, ["contentType", "signingTime", "messageDigest"]);

  const rsa = openssl("cms", "-cmsout", "-print", "-in", "rsa2048.pem", "-inform", "PEM");
  assert.equal(rsa.status, 0, rsa.stderr);
  assert.match(rsa.stdout, /digestAlgorithm: \n\s+algorithm: sha256 /);
  assert.match(rsa.stdout, /signatureAlgorithm: \n\s+algorithm: rsaEncryption /);
  assert.doesNotMatch(rsa.stdout, /sha1|dsa/i);
  assert.match(rsa.stdout, /certificates:\n\s+<ABSENT>/);

  const dsaCert = openssl("x509", "-in", "dsa.pem", "-noout", "-text");
  assert.match(dsaCert.stdout, /Public Key Algorithm: dsaEncryption\n\s+Public-Key: \(2048 bit\)/);
  const rsaCert = openssl("x509", "-in", "rsa.pem", "-noout", "-text");
  assert.match(rsaCert.stdout, /Public Key Algorithm: rsaEncryption\n\s+Public-Key: \(2048 bit\)/);
});

test("identity-signer: a tampered document or tampered embedded content fails verification", () => {
  const tampered = DOCUMENT.replace('"accountId": "123456789012"', '"accountId": "210987654321"');
  assert.notEqual(tampered, DOCUMENT);
  write("tampered", tampered);
  for (const [pkcs7File, certFile] of [["pkcs7.pem", "dsa.pem"], ["rsa2048.pem", "rsa.pem"]] as const) {
    const result = smimeVerify(pkcs7File, certFile, "tampered", "tampered.out");
    assert.notEqual(result.status, 0, `${pkcs7File} verified a tampered document`);
    assert.match(result.stderr, /digest failure|signature failure/i);
  }
  const dgst = openssl("dgst", "-sha256", "-verify", "rsa-pub.pem", "-signature", "signature.bin", "tampered");
  assert.notEqual(dgst.status, 0, "signature verified a tampered document");

  // Same-length edit inside the DER, so only the content changes, not the structure.
  const der = Buffer.from(signed.pkcs7, "base64");
  const at = der.indexOf(Buffer.from("123456789012"));
  assert.ok(at > 0);
  der.write("210987654321", at);
  write("tampered-pkcs7.pem", `-----BEGIN PKCS7-----\n${der.toString("base64")}\n-----END PKCS7-----\n`);
  const embedded = smimeVerify("tampered-pkcs7.pem", "dsa.pem", null, "tampered-embedded.out");
  assert.notEqual(embedded.status, 0, "pkcs7 verified tampered embedded content");
});

test("identity-signer: outputs are bare base64 wrapped at 64 characters", () => {
  for (const [field, value] of Object.entries(signed)) {
    const lines = value.split("\n");
    assert.ok(lines.length > 1, `${field} should span several lines`);
    for (const [i, line] of lines.entries()) {
      assert.match(line, /^[A-Za-z0-9+/]+=*$/, `${field} line ${i} is not base64`);
      assert.ok(line.length <= 64, `${field} line ${i} has ${line.length} characters`);
      if (i < lines.length - 1) assert.equal(line.length, 64, `${field} line ${i} is short`);
    }
  }
  // RSA-2048 gives a 256-byte signature.
  assert.equal(Buffer.from(signed.signature, "base64").length, 256);
});

test("identity-signer: certificates are self-signed, named C=US, O=imds-lab, CN=<name> as separate RDNs, valid 10 years", () => {
  for (const pem of [material.dsaCertificatePem, material.rsaCertificatePem]) {
    const cert = new X509Certificate(pem);
    assert.ok(cert.verify(cert.publicKey), "not self-signed");
    assert.equal(cert.subject, cert.issuer);
    assert.equal(new Date(cert.validFrom).toISOString(), "2025-01-02T03:04:05.000Z");
    assert.equal(new Date(cert.validTo).toISOString(), "2035-01-02T03:04:05.000Z");
  }
  // RFC 2253 joins the attributes of one multi-valued RDN with "+".
  const subject = openssl("x509", "-in", "dsa.pem", "-noout", "-subject", "-nameopt", "RFC2253");
  assert.equal(subject.stdout.trim(), `subject=CN=${COMMON_NAME},O=imds-lab,C=US`);
});

test("identity-signer: rejects a certificate that does not belong to the private key", () => {
  assert.throws(
    () => createIdentitySigner({ ...material, rsaCertificatePem: material.dsaCertificatePem }),
    /rsa certificate does not match/,
  );
  assert.throws(
    () => createIdentitySigner({ ...material, dsaPrivateKeyPem: material.rsaPrivateKeyPem }),
    /expected a dsa private key/,
  );
});

test("identity-signer: signing takes milliseconds once the authority exists", async (t) => {
  const signer = createIdentitySigner(material);
  for (let i = 0; i < 20; i++) await signer.sign(`${DOCUMENT}${i}`);
  const runs = 100;
  const started = performance.now();
  for (let i = 0; i < runs; i++) await signer.sign(`${DOCUMENT}${i}`);
  const perDocumentMs = (performance.now() - started) / runs;
  t.diagnostic(`authority generation ${keyGenerationMs.toFixed(0)} ms, sign ${perDocumentMs.toFixed(2)} ms/document`);
  // Generous bound so a loaded CI machine does not flake; the budget is about 2 ms.
  assert.ok(perDocumentMs < 25, `sign took ${perDocumentMs.toFixed(2)} ms per document`);
});
