import { Agent } from "node:http";
import { test } from "node:test";
import assert from "node:assert/strict";
import { anInstance, withOptions } from "../../test/support/imds-fixture.ts";
import { networkImdsHost, putToken, send, until } from "../../test/support/network-imds.ts";
import { createHopLimitEnforcer, hopDistanceLookup, HopLimitConfigError, parseSimulatedNetworks } from "./hop-limit.ts";
import { loadIpTtl, socketFd } from "./ip-ttl.ts";
import type { ImdsAccessEvent } from "./request-handler.ts";

const ipTtl = loadIpTtl();

test("parseSimulatedNetworks: CIDR=hops lists; a bare address is a host route; junk is refused", () => {
  assert.deepEqual(parseSimulatedNetworks("172.17.0.0/16=2, 127.0.0.2=3"), [
    { address: "172.17.0.0", prefix: 16, family: "ipv4", hops: 2 },
    { address: "127.0.0.2", prefix: 32, family: "ipv4", hops: 3 },
  ]);
  assert.deepEqual(parseSimulatedNetworks(undefined), []);
  assert.equal(parseSimulatedNetworks("fd00::/8=2")[0]?.family, "ipv6");
  for (const bad of ["172.17.0.0/16", "172.17.0.0/33=2", "nonsense=2", "10.0.0.0/8=0"]) {
    assert.throws(() => parseSimulatedNetworks(bad), HopLimitConfigError, bad);
  }
});

test("hopDistanceLookup: the most specific network wins; IPv4-mapped sources count as IPv4; others are 1 hop", () => {
  const distance = hopDistanceLookup(parseSimulatedNetworks("10.0.0.0/8=3,10.1.0.0/16=2"));
  assert.equal(distance("10.1.2.3"), 2);
  assert.equal(distance("10.2.0.1"), 3);
  assert.equal(distance("::ffff:10.2.0.1"), 3);
  assert.equal(distance("192.168.1.1"), 1);
  assert.equal(distance("::1"), 1);
  assert.equal(distance(undefined), 1);
});

test("createHopLimitEnforcer: ttl without the addon is refused at start; auto falls back to simulate", () => {
  assert.throws(() => createHopLimitEnforcer({ mode: "ttl", ipTtl: null }), HopLimitConfigError);
  assert.equal(createHopLimitEnforcer({ mode: "auto", ipTtl: null }).description, "simulate");
  assert.equal(createHopLimitEnforcer({ mode: "off", ipTtl: null, simulatedNetworks: "10.0.0.0/8=2" }).description, "off");
  if (ipTtl !== null) {
    assert.equal(createHopLimitEnforcer({ mode: "auto", ipTtl }).description, "ttl");
    assert.equal(createHopLimitEnforcer({ mode: "auto", ipTtl, simulatedNetworks: "10.0.0.0/8=2" }).description, "ttl+simulate");
  }
});

test("simulated hop limit: a token PUT from 2 hops away gets no answer at all with limit 1, and a token with limit 2", async (t) => {
  const hopLimit = createHopLimitEnforcer({ mode: "simulate", simulatedNetworks: "127.0.0.2/32=2", ipTtl: null });
  const { host } = networkImdsHost({ hopLimit });
  t.after(() => host.close());
  const record = anInstance();
  const address = await host.attach(record, { host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${address.port}`;
  const runtime = host.runtime(record.instanceId)!;

  const far = putToken(url, "127.0.0.2");
  let settled = false;
  void far.answer.then(() => (settled = true), () => (settled = true));
  await until(() => runtime.tokenResponsesWithheld === 1, "the PUT to be withheld");
  // Answers are written synchronously, so once a later request is answered the PUT would have
  // been too. Not an HTTP error: nothing at all, until the client gives up.
  assert.equal((await send(url).answer).status, 200);
  assert.equal(settled, false);
  far.abort();

  // GETs are not limited (docs/behaviour.md#hop-limit), and a caller on the instance itself gets its token.
  assert.equal((await send(url, { localAddress: "127.0.0.2" }).answer).status, 200);
  assert.equal((await putToken(url, "127.0.0.1").answer).status, 200);
  assert.equal(runtime.counters.tokensIssued, 1);

  await host.update(withOptions(record, { httpPutResponseHopLimit: 2 }));
  const near = await putToken(url, "127.0.0.2").answer;
  assert.equal(near.status, 200);
  assert.equal(near.body.length, 56);
});

test("ttl hop limit: the token answer leaves with TTL = hop limit and closes its connection; GETs keep the default TTL", { skip: ipTtl === null ? "the ip-ttl addon is not built (npm ci builds it)" : false }, async (t) => {
  const ttls: Array<{ method: string; ttl: number }> = [];
  const onAccess = (event: ImdsAccessEvent) => {
    const fd = socketFd(event.request.socket);
    if (fd !== null) ttls.push({ method: event.request.method ?? "", ttl: ipTtl!.getTtl(fd) });
  };
  const { host } = networkImdsHost({ hopLimit: createHopLimitEnforcer({ mode: "ttl", ipTtl }), onAccess });
  t.after(() => host.close());
  const record = withOptions(anInstance(), { httpPutResponseHopLimit: 3 });
  const { port } = await host.attach(record, { host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${port}`;

  const agent = new Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  const before = await send(url, { agent }).answer;
  const put = await putToken(url, undefined, agent).answer;
  const after = await send(url, { agent }).answer;
  assert.equal(put.status, 200);
  assert.equal(put.headers.connection, "close");
  assert.equal(before.headers.connection, "keep-alive");
  assert.equal(after.status, 200);
  assert.deepEqual(ttls.map((x) => x.method), ["GET", "PUT", "GET"]);
  assert.equal(ttls[1]!.ttl, 3);
  assert.notEqual(ttls[0]!.ttl, 3);
  assert.equal(ttls[2]!.ttl, ttls[0]!.ttl);
});
