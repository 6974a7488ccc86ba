import { test } from "node:test";
import assert from "node:assert/strict";
import type { InstanceNotices } from "../domain/catalogue/instance-catalogue.ts";
import type { DomainError } from "../domain/errors.ts";
import { ManualClock } from "../platform/clock.ts";
import { EventScheduler } from "./event-scheduler.ts";
import { ManualTimers } from "./timers.ts";

const I = "i-0123456789abcdef0";
const J = "i-0fedcba9876543210";

function scheduler() {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 0, 0, 0));
  const timers = new ManualTimers(clock);
  const published: Array<{ instanceId: string; notices: InstanceNotices; atMs: number }> = [];
  const interrupts: Array<{ instanceId: string; action: string; atMs: number }> = [];
  let n = 0;
  const events = new EventScheduler({
    clock,
    timers,
    publish: (instanceId, notices) => published.push({ instanceId, notices, atMs: clock.nowMs() }),
    interrupt: async (instanceId, action) => void interrupts.push({ instanceId, action, atMs: clock.nowMs() }),
    newId: () => `evt-${++n}`,
    newEventId: () => `instance-event-${String(n).padStart(17, "0")}`,
  });
  return { clock, timers, published, interrupts, events, last: (id = I) => published.filter((p) => p.instanceId === id).at(-1)?.notices };
}

test("EventScheduler: a spot notice appears on time, per instance, and goes at its action time", () => {
  const { clock, timers, events, published, last } = scheduler();
  const t0 = clock.nowMs();
  const view = events.schedule({ instanceId: I, kind: "spot-interruption", inMs: 30_000, action: "stop" });
  assert.equal(view.status, "scheduled");
  assert.equal(published.length, 0);
  timers.advance(29_999);
  assert.equal(published.length, 0);
  timers.advance(1);
  assert.deepEqual(last()?.spotInstanceAction, { action: "stop", time: new Date(t0 + 150_000).toISOString().replace(".000", "") });
  assert.equal(last(J), undefined);
  timers.advance(120_000);
  assert.deepEqual(last(), {});
  assert.equal(timers.size, 0);
  assert.equal(events.list()[0]?.status, "ended");
});

test("EventScheduler: with interrupt the instance is stopped or terminated at the action time", () => {
  const { timers, events, interrupts, clock } = scheduler();
  const t0 = clock.nowMs();
  events.schedule({ instanceId: I, kind: "spot-interruption", inMs: 0, interrupt: true });
  events.schedule({ instanceId: J, kind: "spot-interruption", inMs: 0 });
  timers.advance(119_999);
  assert.equal(interrupts.length, 0);
  timers.advance(1);
  assert.deepEqual(interrupts, [{ instanceId: I, action: "terminate", atMs: t0 + 120_000 }]);
  timers.advance(600_000);
  assert.equal(interrupts.length, 1);
});

test("EventScheduler: publishes only when what the metadata shows changes", () => {
  const { timers, events, published } = scheduler();
  events.schedule({ instanceId: I, kind: "rebalance", inMs: 0 });
  events.schedule({ instanceId: I, kind: "autoscaling", inMs: 10_000, state: "InService" });
  events.schedule({ instanceId: I, kind: "autoscaling", inMs: 10_000, state: "InService" });
  assert.equal(published.length, 1);
  timers.advance(10_000);
  assert.equal(published.length, 2);
  assert.equal(published[1]?.notices.targetLifecycleState, "InService");
  assert.ok(published[1]?.notices.rebalanceNoticeTime);
});

test("EventScheduler: cancelling a shown maintenance event moves it to history as canceled; unknown ids are NotFound", () => {
  const { timers, events, last } = scheduler();
  const m = events.schedule({ instanceId: I, kind: "maintenance", inMs: 0, code: "instance-stop" });
  assert.equal(last()?.scheduledMaintenance?.[0]?.Code, "instance-stop");
  timers.advance(1_000);
  const [cancelled] = events.cancel({ id: m.id });
  assert.equal(cancelled?.status, "ended");
  assert.equal(last()?.scheduledMaintenance, undefined);
  assert.equal(last()?.maintenanceHistory?.[0]?.State, "canceled");
  assert.throws(() => events.cancel({ id: "evt-nope" }), (e: DomainError) => e.code === "InvalidEventId.NotFound");
});

test("EventScheduler: cancelling by instance removes its pending events and clears what they showed", () => {
  const { events, last, timers } = scheduler();
  events.schedule({ instanceId: I, kind: "rebalance", inMs: 0 });
  events.schedule({ instanceId: I, kind: "spot-interruption", inMs: 60_000 });
  events.schedule({ instanceId: J, kind: "rebalance", inMs: 0 });
  assert.equal(events.cancel({ instanceId: I }).length, 2);
  assert.deepEqual(last(), {});
  assert.ok(last(J)?.rebalanceNoticeTime);
  timers.advance(600_000);
  assert.deepEqual(last(), {});
  assert.equal(events.list(I).length, 0);
});

test("EventScheduler: close stops the timer", () => {
  const { events, timers, published } = scheduler();
  events.schedule({ instanceId: I, kind: "rebalance", inMs: 5_000 });
  events.close();
  timers.advance(10_000);
  assert.equal(published.length, 0);
});
