import assert from "node:assert/strict";
import { test } from "node:test";
import { EventScheduler } from "../../notices/event-scheduler.ts";
import { ScheduledEventBook } from "../../notices/scheduled-event-book.ts";
import { ManualTimers } from "../../notices/timers.ts";
import { ManualClock } from "../../platform/clock.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import { launch, withHarness } from "../../../test/support/instances.ts";

const ACTION = "DescribeInstanceStatus";

const statuses = (result: Parameters<typeof itemsOf>[0]) => itemsOf(result, ACTION, "instanceStatusSet");

/** A harness whose DescribeInstanceStatus reads the events of a real EventScheduler on the same clock. */
async function withEvents(fn: Parameters<typeof withHarness>[0] extends (h: infer H) => Promise<void> ? (h: H, events: EventScheduler, timers: ManualTimers) => Promise<void> : never) {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 12, 0, 0));
  const timers = new ManualTimers(clock);
  const book = new ScheduledEventBook();
  let n = 0;
  const events = new EventScheduler({
    clock,
    timers,
    publish: () => undefined,
    newId: () => `evt-${++n}`,
    newEventId: () => `instance-event-${String(n).padStart(17, "0")}`,
    book,
  });
  await withHarness((h) => fn(h, events, timers), { clock, events: book });
}

test("DescribeInstanceStatus: running instances with both checks ok and reachability passed (golden)", () =>
  withHarness(async (h) => {
    golden(ACTION, "empty", await h.call(ACTION));
    const [id] = await launch(h);
    const result = await h.call(ACTION);
    golden(ACTION, "success", result);
    const [status] = statuses(result);
    assert.equal(status.instanceId, id);
    assert.equal(status.instanceState.name, "running");
    assert.equal(status.instanceState.code, "16");
    assert.equal(status.instanceStatus.status, "ok");
    assert.deepEqual(status.systemStatus.details.item, [{ name: "reachability", status: "passed" }]);
    assert.equal(status.eventsSet, undefined);
  }));

test("DescribeInstanceStatus: a stopped instance only with IncludeAllInstances, its checks not-applicable", () =>
  withHarness(async (h) => {
    const [a, b] = await launch(h, { MinCount: "2", MaxCount: "2" });
    expectOk(await h.call("StopInstances", { "InstanceId.1": b! }));
    assert.deepEqual(statuses(await h.call(ACTION)).map((s) => s.instanceId), [a]);
    assert.deepEqual(statuses(await h.call(ACTION, { "InstanceId.1": b! })), []);
    const all = statuses(await h.call(ACTION, { IncludeAllInstances: "true" }));
    assert.deepEqual(all.map((s) => s.instanceId), [a, b]);
    assert.equal(all[1].instanceState.name, "stopped");
    assert.equal(all[1].instanceStatus.status, "not-applicable");
    assert.equal(all[1].instanceStatus.details, undefined);
    const stopped = statuses(await h.call(ACTION, { IncludeAllInstances: "true", "Filter.1.Name": "instance-state-name", "Filter.1.Value.1": "stopped" }));
    assert.deepEqual(stopped.map((s) => s.instanceId), [b]);
  }));

test("DescribeInstanceStatus: a scheduled maintenance event appears in eventsSet while it shows in IMDS", () =>
  withEvents(async (h, events, timers) => {
    const [id, other] = await launch(h, { MinCount: "2", MaxCount: "2" });
    const view = events.schedule({ instanceId: id!, kind: "maintenance", inMs: 10_000, code: "system-reboot", description: "scheduled reboot" });
    assert.equal(statuses(await h.call(ACTION, { "InstanceId.1": id! }))[0].eventsSet, undefined);
    timers.advance(10_000);
    const [status] = statuses(await h.call(ACTION, { "InstanceId.1": id! }));
    const [event] = status.eventsSet.item;
    assert.equal(event.instanceEventId, view.kind === "maintenance" ? view.eventId : "");
    assert.equal(event.code, "system-reboot");
    assert.equal(event.description, "scheduled reboot");
    assert.ok(view.kind === "maintenance");
    assert.equal(event.notBefore, new Date(view.notBeforeMs).toISOString());
    assert.equal(event.notAfter, new Date(view.notAfterMs).toISOString());
    const byCode = statuses(await h.call(ACTION, { "Filter.1.Name": "event.code", "Filter.1.Value.1": "system-reboot" }));
    assert.deepEqual(byCode.map((s) => s.instanceId), [id]);
    assert.notEqual(id, other);
    events.cancel({ instanceId: id! });
    assert.equal(statuses(await h.call(ACTION, { "InstanceId.1": id! }))[0].eventsSet, undefined);
    events.close();
  }));

test("DescribeInstanceStatus: MaxResults pages with NextToken; refusals carry EC2's codes", () =>
  withHarness(async (h) => {
    const ids = await launch(h, { MinCount: "6", MaxCount: "6" });
    const first = await h.call(ACTION, { MaxResults: "5" });
    const token = expectOk(first).DescribeInstanceStatusResponse.nextToken;
    assert.equal(statuses(first).length, 5);
    const second = await h.call(ACTION, { MaxResults: "5", NextToken: token });
    assert.deepEqual([...statuses(first), ...statuses(second)].map((s) => s.instanceId), ids);
    expectError(await h.call(ACTION, { "InstanceId.1": ids[0]!, MaxResults: "5" }), "InvalidParameterCombination");
    expectError(await h.call(ACTION, { "InstanceId.1": "i-00000000000000000" }), "InvalidInstanceID.NotFound");
    expectError(await h.call(ACTION, { "Filter.1.Name": "no-such-filter", "Filter.1.Value.1": "x" }), "InvalidParameterValue", "The filter 'no-such-filter' is invalid");
    expectError(await h.call(ACTION, { IncludeAllInstances: "maybe" }), "InvalidParameterValue");
  }));
