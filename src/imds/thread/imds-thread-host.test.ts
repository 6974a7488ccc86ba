import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createSigningAuthority, type SigningAuthorityMaterial } from "../../crypto/identity-signer.ts";
import { newFaultStats } from "../active-fault.ts";
import type { ImdsAccess } from "../imds-access.ts";
import { systemRandom } from "../../platform/crypto.ts";
import { anInstance, withOptions } from "../../../test/support/imds-fixture.ts";
import { rawRequest } from "../../../test/support/http.ts";
import { CredentialMirror } from "./credential-mirror.ts";
import { ImdsThreadHost } from "./imds-thread-host.ts";

function start(t: TestContext, material?: () => Promise<SigningAuthorityMaterial>) {
  const accesses: ImdsAccess[] = [];
  const credentials = new CredentialMirror(systemRandom);
  const host = new ImdsThreadHost({
    credentials,
    signingMaterial: material ?? (() => Promise.reject(new Error("no keys in this test"))),
    onAccess: (a) => accesses.push(a),
    hopLimit: { mode: "off", simulatedNetworks: undefined, description: "off" },
  });
  t.after(() => host.close());
  return { host, credentials, accesses };
}

const TOKEN_TTL = { "X-aws-ec2-metadata-token-ttl-seconds": "60" };

test("ImdsThreadHost: serves from the worker; counters, access events and issued credentials reach the main thread", async (t) => {
  const { host, credentials, accesses } = start(t);
  const record = anInstance({ roleName: "app-role" });
  await host.attach(record, { host: "127.0.0.1", port: 0 });
  const url = host.url(record.instanceId)!;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await rawRequest(url, { path: "/latest/meta-data/instance-id" })).text(), record.instanceId);
  const token = (await rawRequest(url, { method: "PUT", path: "/latest/api/token", headers: TOKEN_TTL })).text();
  const role = await rawRequest(url, { path: "/latest/meta-data/iam/security-credentials/app-role", headers: { "X-aws-ec2-metadata-token": token, "User-Agent": "probe/1" } });
  const accessKeyId = (JSON.parse(role.text()) as { AccessKeyId: string }).AccessKeyId;
  // Announced before the answer left the worker: known without waiting.
  assert.equal(credentials.lookup(accessKeyId)?.instanceId, record.instanceId);
  assert.equal(credentials.lookup(accessKeyId)?.delivery, "v2");
  const counters = host.runtime(record.instanceId)!.counters;
  assert.deepEqual([counters.metadataNoToken, counters.metadataWithToken, counters.tokensIssued], [1, 1, 1]);
  await host.flushAccesses();
  assert.deepEqual(
    accesses.map((a) => [a.instanceId, a.method, a.path, a.status, a.version]),
    [
      [record.instanceId, "GET", "/latest/meta-data/instance-id", 200, "v1"],
      [record.instanceId, "PUT", "/latest/api/token", 200, "v2"],
      [record.instanceId, "GET", "/latest/meta-data/iam/security-credentials/app-role", 200, "v2"],
    ],
  );
  assert.equal(accesses[2]!.userAgent, "probe/1");
  assert.equal(accesses[2]!.connection.remoteAddress, "127.0.0.1");
});

test("ImdsThreadHost: an update is in force when it resolves; a stopped instance has no URL; a busy port keeps its error code", async (t) => {
  const { host } = start(t);
  const record = anInstance();
  await host.attach(record, { host: "127.0.0.1", port: 0 });
  const url = host.url(record.instanceId)!;
  await host.update(withOptions(record, { httpTokens: "required" }));
  assert.equal((await rawRequest(url, { path: "/latest/meta-data/instance-id" })).status, 401);
  await host.update({ ...record, state: "stopped" });
  assert.equal(host.url(record.instanceId), null);
  const port = Number(new URL(url).port);
  const other = anInstance({}, 2);
  await host.update(record);
  await assert.rejects(host.attach(other, { host: "127.0.0.1", port }), { code: "EADDRINUSE" });
  assert.equal(host.runtime(other.instanceId), undefined);
});

test("ImdsThreadHost: fault stats counted in the worker are read in the main thread", async (t) => {
  const { host } = start(t);
  const record = anInstance();
  await host.attach(record, { host: "127.0.0.1", port: 0 });
  const stats = newFaultStats();
  await host.setFault(record.instanceId, { throttle: { ratePerSecond: 0, burst: 0, status: 429, retryAfterSeconds: null } }, stats);
  assert.equal((await rawRequest(host.url(record.instanceId)!, { path: "/latest/meta-data/" })).status, 429);
  assert.equal(stats.throttled, 1);
  assert.equal(host.faultStats(record.instanceId), stats);
  await host.setFault(record.instanceId, null, newFaultStats());
  assert.equal((await rawRequest(host.url(record.instanceId)!, { path: "/latest/meta-data/" })).status, 200);
});

test("ImdsThreadHost: the identity document is signed in the worker with the keys the main thread holds", async (t) => {
  const material = await createSigningAuthority({ commonName: "thread test" });
  const { host } = start(t, async () => material);
  const record = anInstance();
  await host.attach(record, { host: "127.0.0.1", port: 0 });
  await host.runtime(record.instanceId)!.warmSignatures();
  const pkcs7 = await rawRequest(host.url(record.instanceId)!, { path: "/latest/dynamic/instance-identity/pkcs7" });
  assert.equal(pkcs7.status, 200);
  assert.ok(pkcs7.text().length > 100);
});

// Reproduction 2 of issue 11: API work in the main thread stalled every IMDS answer.
test("ImdsThreadHost: an IMDS GET is answered while the main thread is blocked for 3 s", async (t) => {
  const { host } = start(t);
  const record = anInstance();
  await host.attach(record, { host: "127.0.0.1", port: 0 });
  const url = `${host.url(record.instanceId)!}/latest/meta-data/instance-id`;
  // The client is another process: this thread is about to be busy. Once it runs it says so, waits
  // 300 ms, so the request lands while the loop below runs, then prints how long the answer took.
  const client = spawn(process.execPath, [
    "-e",
    `const http = require("node:http");
    console.log("ready");
    setTimeout(() => {
      const t0 = performance.now();
      http.get(${JSON.stringify(url)}, (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c) => (body += c)).on("end", () => console.log(JSON.stringify({ ms: performance.now() - t0, at: Date.now(), status: res.statusCode, body })));
      });
    }, 300);`,
  ]);
  let out = "";
  const running = new Promise<void>((resolve) =>
    client.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      if (out.startsWith("ready\n")) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => client.once("exit", resolve));
  await running;
  const until = performance.now() + 3_000;
  while (performance.now() < until) {
    // The main thread is busy, as under a 10,000-instance DescribeInstances or a pathological filter.
  }
  const released = Date.now();
  assert.equal(await exited, 0);
  const answer = JSON.parse(out.slice("ready\n".length)) as { ms: number; at: number; status: number; body: string };
  assert.equal(answer.status, 200);
  assert.equal(answer.body, record.instanceId);
  assert.ok(answer.at < released, "the answer came only after the main thread was free again");
  assert.ok(answer.ms < 500, `the IMDS answer took ${answer.ms.toFixed(0)} ms while the main thread was blocked`);
});
