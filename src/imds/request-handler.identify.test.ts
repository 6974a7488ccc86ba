import assert from "node:assert/strict";
import { test } from "node:test";
import { anInstance, fakeSigner } from "../../test/support/imds-fixture.ts";
import { rawRequest } from "../../test/support/http.ts";
import { CredentialIssuer } from "../app/credential-issuer.ts";
import { TOKEN_NONCE_BYTES } from "../domain/tokens/session-token.ts";
import { createTokenMac, systemRandom } from "../platform/crypto.ts";
import { ImdsHost } from "./imds-host.ts";

/** A host whose identifyCaller records each call and holds the answer until the test releases it. */
async function hostWithIdentification() {
  const asked: object[] = [];
  const releases: (() => void)[] = [];
  const host = new ImdsHost({
    nowMs: Date.now,
    tokenMac: createTokenMac(new Uint8Array(32).fill(3)),
    nonce: () => systemRandom.bytes(TOKEN_NONCE_BYTES),
    credentials: new CredentialIssuer(systemRandom),
    signer: fakeSigner,
    identifyCaller: (socket) => {
      asked.push(socket);
      return new Promise<void>((resolve) => releases.push(resolve));
    },
  });
  const address = await host.attach(anInstance(), { host: "127.0.0.1", port: 0 });
  return { host, url: `http://127.0.0.1:${address.port}`, asked, releases };
}

test("request-handler: a token-less request is answered only after its caller is identified", async () => {
  const { host, url, asked, releases } = await hostWithIdentification();
  try {
    let answered = false;
    const pending = rawRequest(url, { path: "/latest/meta-data/instance-id" }).then((r) => {
      answered = true;
      return r;
    });
    while (releases.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(answered, false, "held while identifying");
    releases[0]!();
    assert.equal((await pending).status, 200);
    assert.equal(asked.length, 1);
  } finally {
    await host.close();
  }
});

test("request-handler: requests with a token, and token PUTs, never ask for identification", async () => {
  const { host, url, asked } = await hostWithIdentification();
  try {
    const put = await rawRequest(url, { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } });
    assert.equal(put.status, 200);
    const get = await rawRequest(url, { path: "/latest/meta-data/instance-id", headers: { "X-aws-ec2-metadata-token": put.text() } });
    assert.equal(get.status, 200);
    assert.equal(asked.length, 0);
  } finally {
    await host.close();
  }
});
