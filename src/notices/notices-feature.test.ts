import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { startApiServer, type ApiRoute } from "../api/api-server.ts";
import type { AppContext } from "../app/app-context.ts";
import { createEc2Harness } from "../../test/support/ec2-harness.ts";
import { rawRequest } from "../../test/support/http.ts";
import { createNoticesFeature } from "./notices-feature.ts";
import { ManualTimers } from "./timers.ts";

/** The feature's routes on a real API listener, over the in-process configuration plane and a manual clock. */
async function serve(t: TestContext) {
  const harness = await createEc2Harness({ optionsApplyDelayMs: 0 });
  // A Spot Instance: spot-interruption events apply to Spot Instances only.
  const run = await harness.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1", "InstanceMarketOptions.MarketType": "spot" });
  const instanceId = run.xml.RunInstancesResponse.instancesSet.item[0].instanceId as string;
  const timers = new ManualTimers(harness.clock);
  const ctx = { clock: harness.clock, host: harness.host, app: harness.services, defaultInstanceId: instanceId } as unknown as AppContext;
  const feature = createNoticesFeature(ctx, timers);
  const api = await startApiServer({ host: "127.0.0.1", port: 0, ec2: (_req, res) => void res.end(), routes: new Map<string, ApiRoute>(feature.routes) });
  t.after(async () => {
    feature.close?.();
    api.server.closeAllConnections();
    await new Promise<void>((resolve) => api.server.close(() => resolve()));
    await harness.close();
  });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await rawRequest(api.url, { method, path, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: response.status, json: JSON.parse(response.text()) as Record<string, unknown> };
  };
  const imds = (path: string) => rawRequest(harness.host.url(instanceId)!, { path });
  return { harness, instanceId, timers, call, imds };
}

test("notices feature: POST /_imds-lab/events shows the notice on time in the instance's metadata", async (t) => {
  const { call, imds, timers } = await serve(t);
  const created = await call("POST", "/_imds-lab/events", { kind: "spot-interruption", in: 30, action: "stop" });
  assert.equal(created.status, 201);
  assert.equal(created.json.status, "scheduled");
  assert.equal((await imds("/latest/meta-data/spot/instance-action")).status, 404);
  timers.advance(30_000);
  const notice = JSON.parse((await imds("/latest/meta-data/spot/instance-action")).text()) as { action: string };
  assert.equal(notice.action, "stop");
  // termination-time exists only for terminate.
  assert.equal((await imds("/latest/meta-data/spot/termination-time")).status, 404);
  const listed = await call("GET", "/_imds-lab/events");
  assert.equal((listed.json.events as Array<{ status: string }>)[0]?.status, "active");
});

test("notices feature: a spot event with interrupt stops the instance at the action time, and its endpoint goes", async (t) => {
  const { call, harness, instanceId, timers } = await serve(t);
  assert.equal((await call("POST", "/_imds-lab/events", { kind: "spot-interruption", action: "hibernate", interrupt: true })).status, 201);
  timers.advance(119_000);
  assert.equal(harness.services.estate.get(instanceId)?.record.state, "running");
  timers.advance(1_000);
  // The state is saved first, then the endpoint closes.
  for (let i = 0; i < 1000 && harness.host.url(instanceId) !== null; i++) await new Promise((r) => setImmediate(r));
  assert.equal(harness.services.estate.get(instanceId)?.record.state, "stopped");
  assert.equal(harness.host.url(instanceId), null);
});

test("notices feature: errors come back as EC2-style codes", async (t) => {
  const { call } = await serve(t);
  assert.deepEqual((await call("POST", "/_imds-lab/events", { kind: "rebalance", instanceId: "i-00000000000000000" })).json.error, "InvalidInstanceID.NotFound");
  assert.equal((await call("POST", "/_imds-lab/events", { kind: "rebalance", code: "system-reboot" })).json.error, "InvalidParameterCombination");
  assert.equal((await call("DELETE", "/_imds-lab/events?id=evt-missing")).status, 404);
  assert.equal((await call("PUT", "/_imds-lab/faults", { drop: 2 })).json.error, "InvalidParameterValue");
  assert.equal((await call("PUT", "/_imds-lab/faults", "not an object")).status, 400);
});

test("notices feature: PUT /_imds-lab/faults runs a script on the clock; DELETE clears it", async (t) => {
  const { call, imds, timers, instanceId } = await serve(t);
  const set = await call("PUT", "/_imds-lab/faults", { steps: [{ fault: { throttle: { status: 503, rate: 0 } }, for: "10s" }, { fault: null }] });
  assert.equal(set.status, 200);
  assert.equal(set.json.instanceId, instanceId);
  const refused = await imds("/latest/meta-data/instance-id");
  assert.equal(refused.status, 503);
  assert.equal(refused.headers["retry-after"], "1");
  timers.advance(10_000);
  for (let i = 0; i < 1000 && (await imds("/latest/meta-data/instance-id")).status !== 200; i++) await new Promise((r) => setImmediate(r));
  assert.equal((await imds("/latest/meta-data/instance-id")).status, 200);
  const listed = await call("GET", "/_imds-lab/faults");
  assert.deepEqual((listed.json.faults as Array<{ stats: { throttled: number }; step: number }>).map((f) => [f.step, f.stats.throttled]), [[1, 1]]);
  assert.deepEqual((await call("DELETE", "/_imds-lab/faults")).json, { instanceId, cleared: true });
});

test("notices feature: a spot-interruption on an on-demand instance is refused, and nothing is scheduled", async (t) => {
  const { call, harness, imds } = await serve(t);
  const run = await harness.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1" });
  const onDemand = run.xml.RunInstancesResponse.instancesSet.item[0].instanceId as string;
  const refused = await call("POST", "/_imds-lab/events", { kind: "spot-interruption", instanceId: onDemand });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error, "IncorrectInstanceState");
  assert.match(String(refused.json.message), new RegExp(`'${onDemand}' is an on-demand instance.*MarketType=spot`));
  assert.deepEqual((await call("GET", "/_imds-lab/events")).json.events, []);
  assert.equal((await imds("/latest/meta-data/instance-life-cycle")).text(), "spot");
  assert.equal((await rawRequest(harness.host.url(onDemand)!, { path: "/latest/meta-data/instance-life-cycle" })).text(), "on-demand");
});
