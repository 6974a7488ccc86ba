import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { anInstance, withOptions } from "../../test/support/imds-fixture.ts";
import { networkImdsHost, putToken, send } from "../../test/support/network-imds.ts";
import { createHopLimitEnforcer } from "./hop-limit.ts";
import { loadIpTtl, socketFd } from "./ip-ttl.ts";

/** Whether this machine has IPv6 loopback at all (containers may not). */
async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, "::1", () => server.close(() => resolve(true)));
  });
}

const noIpv6 = (await hasIpv6Loopback()) ? false : "no IPv6 loopback on this machine";

test("ImdsHost IPv6: HttpProtocolIpv6=enabled adds an [::1] endpoint, live; disabled refuses connections", { skip: noIpv6 }, async (t) => {
  const { host } = networkImdsHost({ ipv6: { host: "::1", primaryIpv4Host: "127.0.0.1" } });
  t.after(() => host.close());
  const record = anInstance();
  const v4 = await host.attach(record, { host: "127.0.0.1", port: 0 });
  assert.equal(host.ipv6Url(record.instanceId), null);

  await host.update(withOptions(record, { httpProtocolIpv6: "enabled" }));
  const url6 = host.ipv6Url(record.instanceId);
  assert.ok(url6 !== null);
  // The default (primary) instance keeps its IMDS port on IPv6.
  assert.equal(url6, `http://[::1]:${v4.port}`);
  const answer = await send(url6).answer;
  assert.equal(answer.status, 200);
  assert.equal(answer.body, record.instanceId);
  assert.equal((await putToken(url6).answer).status, 200);

  await host.update(withOptions(record, { httpProtocolIpv6: "disabled" }));
  assert.equal(host.ipv6Url(record.instanceId), null);
  await assert.rejects(send(url6).answer, { code: "ECONNREFUSED" });
  assert.equal((await send(`http://127.0.0.1:${v4.port}`).answer).status, 200);
});

test("ImdsHost IPv6: other instances take a free port; stop closes and start reopens the same one", { skip: noIpv6 }, async (t) => {
  const { host } = networkImdsHost({ ipv6: { host: "::1", primaryIpv4Host: "127.0.0.1" } });
  t.after(() => host.close());
  const record = withOptions(anInstance({}, 5), { httpProtocolIpv6: "enabled" });
  await host.attach(record, { host: "127.1.0.9", port: 0 });
  const url6 = host.ipv6Url(record.instanceId);
  assert.ok(url6 !== null);
  await host.update({ ...record, state: "stopped" });
  assert.equal(host.ipv6Url(record.instanceId), null);
  await assert.rejects(send(url6).answer, { code: "ECONNREFUSED" });
  await host.update(record);
  assert.equal(host.ipv6Url(record.instanceId), url6);
  assert.equal((await send(url6).answer).status, 200);
});

const ipTtl = loadIpTtl();
test("ImdsHost IPv6: the token answer carries IPV6_UNICAST_HOPS = hop limit", { skip: noIpv6 || (ipTtl === null ? "ip-ttl addon not built" : false) }, async (t) => {
  const hops: number[] = [];
  const { host } = networkImdsHost({
    hopLimit: createHopLimitEnforcer({ mode: "ttl", ipTtl }),
    onAccess: (event) => hops.push(ipTtl!.getTtl(socketFd(event.request.socket)!)),
  });
  t.after(() => host.close());
  const record = withOptions(anInstance(), { httpProtocolIpv6: "enabled", httpPutResponseHopLimit: 5 });
  await host.attach(record, { host: "127.0.0.1", port: 0 });
  assert.equal((await putToken(host.ipv6Url(record.instanceId)!).answer).status, 200);
  assert.deepEqual(hops, [5]);
});
