import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { FaultSpec } from "../domain/faults/fault-script.ts";
import { anInstance } from "../../test/support/imds-fixture.ts";
import { networkImdsHost, putToken, send, until } from "../../test/support/network-imds.ts";
import type { ImdsHostDeps } from "./imds-host.ts";

async function serve(t: TestContext, extra: Partial<ImdsHostDeps> = {}) {
  const { host, clock } = networkImdsHost(extra);
  t.after(() => host.close());
  const record = anInstance();
  const { port } = await host.attach(record, { host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${port}`;
  const fault = (spec: FaultSpec | null) => host.setFault(record.instanceId, spec);
  return { host, clock, record, url, fault, runtime: host.runtime(record.instanceId)! };
}

const throttle = (status: 429 | 503, ratePerSecond: number, burst = 1, retryAfterSeconds: number | null = null): FaultSpec => ({
  throttle: { status, ratePerSecond, burst, retryAfterSeconds },
});

test("faults: with none set the request path checks one null and answers as always", async (t) => {
  const { url, runtime } = await serve(t);
  assert.equal(runtime.fault, null);
  assert.equal((await send(url).answer).status, 200);
});

test("faults: throttling answers 429 over the rate, per instance, and admits again as the bucket refills", async (t) => {
  const { url, clock, fault, host, record } = await serve(t);
  await fault(throttle(429, 1));
  assert.equal((await send(url).answer).status, 200);
  const refused = await send(url).answer;
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.server, "EC2ws");
  assert.equal(refused.headers["content-type"], "text/html");
  assert.match(refused.body, /<title>429 - Too Many Requests<\/title>/);
  assert.equal(refused.headers["retry-after"], undefined);
  // The token PUT counts against the same limit.
  assert.equal((await putToken(url).answer).status, 429);
  clock.advance(1000);
  assert.equal((await putToken(url).answer).status, 200);
  assert.equal(host.faultStats(record.instanceId)?.throttled, 2);
});

test("faults: a 503 throttle carries Retry-After (1 s by default, or as set); rate 0 refuses everything", async (t) => {
  const { url, clock, fault } = await serve(t);
  await fault(throttle(503, 0));
  const first = await send(url).answer;
  assert.equal(first.status, 503);
  assert.equal(first.headers["retry-after"], "1");
  assert.match(first.body, /503 - Service Unavailable/);
  clock.advance(3_600_000);
  assert.equal((await send(url).answer).status, 503);
  await fault(throttle(503, 0, 1, 7));
  assert.equal((await send(url).answer).headers["retry-after"], "7");
  await fault(null);
  assert.equal((await send(url).answer).status, 200);
});

test("faults: a dropped connection is reset without an answer", async (t) => {
  let roll = 0.1;
  const { url, fault, host, record } = await serve(t, { random: () => roll });
  await fault({ dropRate: 0.5 });
  await assert.rejects(send(url).answer, (err: NodeJS.ErrnoException) => err.code === "ECONNRESET");
  roll = 0.9;
  assert.equal((await send(url).answer).status, 200);
  assert.equal(host.faultStats(record.instanceId)?.dropped, 1);
});

test("faults: latency holds the answer until the delay runs", async (t) => {
  const delayed: Array<{ ms: number; run: () => void }> = [];
  const { url, fault } = await serve(t, { delay: (ms, run) => delayed.push({ ms, run }) });
  await fault({ latencyMs: 250 });
  let answered = false;
  const pending = send(url);
  void pending.answer.then(() => (answered = true));
  await until(() => delayed.length === 1, "the delay to be scheduled");
  assert.equal(delayed[0]!.ms, 250);
  assert.equal(answered, false);
  delayed[0]!.run();
  assert.equal((await pending.answer).status, 200);
});

test("faults: an outage in timeout mode accepts connections and answers nothing", async (t) => {
  const { url, fault, host, record } = await serve(t);
  await fault({ outage: "timeout" });
  const held = send(url);
  let settled = false;
  void held.answer.then(() => (settled = true), () => (settled = true));
  await until(() => host.faultStats(record.instanceId)?.held === 1, "the request to be held");
  assert.equal(settled, false);
  held.abort();
  await fault(null);
  assert.equal((await send(url).answer).status, 200);
});

test("faults: an outage in refuse mode closes the endpoint; clearing it serves again on the same port", async (t) => {
  const { url, fault, host, record } = await serve(t);
  await fault({ outage: "refuse" });
  await assert.rejects(send(url).answer, { code: "ECONNREFUSED" });
  assert.equal(host.url(record.instanceId), null);
  await fault(null);
  assert.equal(host.url(record.instanceId), url);
  assert.equal((await send(url).answer).status, 200);
});

test("faults: a stopped instance stays closed when a refusing outage ends", async (t) => {
  const { url, fault, host, record } = await serve(t);
  await fault({ outage: "refuse" });
  await host.update({ ...record, state: "stopped" });
  await fault(null);
  await assert.rejects(send(url).answer, { code: "ECONNREFUSED" });
  await host.update(record);
  assert.equal((await send(url).answer).status, 200);
});
