import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test, type TestContext } from "node:test";
import { anInstance, startTestImds } from "../../test/support/imds-fixture.ts";
import { rawRequest } from "../../test/support/http.ts";

// As `imds-lab run` gets its listener (src/run/netns-listener.ts), minus the namespace: another
// process opens a listening socket and hands it over IPC.
const HELPER = `
const s = require("node:net").createServer();
s.listen({ host: "127.0.0.1", port: 0 }, () => process.send({ port: s.address().port }, s._handle));
process.once("message", () => process.exit(0));
`;

async function foreignListener(t: TestContext): Promise<{ handle: object; url: string }> {
  const child = spawn(process.execPath, ["-e", HELPER], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  t.after(() => child.kill());
  const [message, handle] = await new Promise<[{ port: number }, object]>((resolve) => child.once("message", (m, h) => resolve([m as { port: number }, h as object])));
  // The helper's own copy of the socket must be gone, as `imds-lab run`'s helper exits after handing
  // it over: while it lives, the kernel still queues connections on it after our detach.
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.send("done");
  await exited;
  return { handle, url: `http://127.0.0.1:${message.port}` };
}

test("ImdsHost: an adopted listener answers from the instance's runtime: a token issued on one endpoint works on the other", async (t) => {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const record = anInstance();
  const own = await imds.attach(record);
  const { handle, url } = await foreignListener(t);
  await imds.host.adoptListener(record.instanceId, handle, "ipv4");
  const put = await rawRequest(url, { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } });
  assert.equal(put.status, 200);
  const get = await rawRequest(own, { path: "/latest/meta-data/instance-id", headers: { "X-aws-ec2-metadata-token": put.text() } });
  assert.equal(get.status, 200);
  assert.equal(get.text(), record.instanceId);
});

test("ImdsHost: while the instance is stopped an adopted listener drops connections; running again, it answers; detach closes it", async (t) => {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const record = anInstance();
  await imds.attach(record);
  const { handle, url } = await foreignListener(t);
  await imds.host.adoptListener(record.instanceId, handle, "ipv4");
  await imds.host.update({ ...record, state: "stopped" });
  await assert.rejects(rawRequest(url, { path: "/latest/meta-data/instance-id" }));
  await imds.host.update(record);
  assert.equal((await rawRequest(url, { path: "/latest/meta-data/instance-id" })).text(), record.instanceId);
  await imds.host.detach(record.instanceId);
  await assert.rejects(rawRequest(url, { path: "/" }), { code: "ECONNREFUSED" });
});

test("ImdsHost: an adopted IPv6 listener follows HttpProtocolIpv6 (disabled by default)", async (t) => {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const record = anInstance();
  await imds.attach(record);
  const { handle, url } = await foreignListener(t);
  await imds.host.adoptListener(record.instanceId, handle, "ipv6");
  await assert.rejects(rawRequest(url, { path: "/latest/meta-data/instance-id" }));
  await imds.host.update({ ...record, metadataOptions: { ...record.metadataOptions, httpProtocolIpv6: "enabled" } });
  assert.equal((await rawRequest(url, { path: "/latest/meta-data/instance-id" })).text(), record.instanceId);
});
