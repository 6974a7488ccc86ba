import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError } from "../errors.ts";
import { cancelEvent, eventStatus, isoSeconds, maintenanceDate, nextChangeMs, noticesAt } from "./event-timeline.ts";
import { planEvent, SPOT_WARNING_MS, type EventRequest, type ScheduledEvent } from "./scheduled-event.ts";

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const I = "i-0123456789abcdef0";
let n = 0;
function plan(request: Omit<EventRequest, "instanceId"> & { instanceId?: string }, nowMs = T0): ScheduledEvent {
  n++;
  return planEvent({ instanceId: I, ...request }, { id: `evt-${n}`, eventId: `instance-event-0000000000000000${n % 10}` }, nowMs);
}

test("planEvent: a spot interruption appears after `in`, its time is the notice + 2 minutes, and it goes at that time", () => {
  const spot = plan({ kind: "spot-interruption", inMs: 30_000 });
  assert.deepEqual(noticesAt([spot], T0 + 29_999), {});
  const shown = noticesAt([spot], T0 + 30_000);
  assert.deepEqual(shown.spotInstanceAction, { action: "terminate", time: isoSeconds(T0 + 30_000 + SPOT_WARNING_MS) });
  assert.equal(shown.spotInstanceAction?.time, "2026-01-05T09:02:30Z");
  assert.deepEqual(noticesAt([spot], T0 + 30_000 + SPOT_WARNING_MS), {});
  assert.equal(eventStatus(spot, T0 + 30_000 + SPOT_WARNING_MS), "ended");
});

test("planEvent: fields of another kind are refused with InvalidParameterCombination", () => {
  assert.throws(() => plan({ kind: "rebalance", inMs: 0, action: "stop" }), (e: DomainError) => e.code === "InvalidParameterCombination");
  assert.throws(() => plan({ kind: "spot-interruption", inMs: 0, state: "InService" }), (e: DomainError) => e.code === "InvalidParameterCombination");
  assert.throws(() => plan({ kind: "rebalance", inMs: -1 }), (e: DomainError) => e.code === "InvalidParameterValue");
});

test("noticesAt: rebalance shows its notice time and stays until cancelled or `for` runs out", () => {
  const open = plan({ kind: "rebalance", inMs: 5_000 });
  assert.equal(noticesAt([open], T0 + 5_000).rebalanceNoticeTime, "2026-01-05T09:00:05Z");
  assert.equal(noticesAt([open], T0 + 365 * 86_400_000).rebalanceNoticeTime, "2026-01-05T09:00:05Z");
  const brief = plan({ kind: "rebalance", inMs: 0, forMs: 10_000 });
  assert.deepEqual(noticesAt([brief], T0 + 10_000), {});
});

test("noticesAt: maintenance is listed as active until NotAfter, then moves to history as completed", () => {
  const event = plan({ kind: "maintenance", inMs: 1_000, startsInMs: 60_000, windowMs: 120_000, code: "instance-reboot" });
  assert.deepEqual(noticesAt([event], T0), {});
  const active = noticesAt([event], T0 + 1_000);
  assert.deepEqual(active.scheduledMaintenance, [
    {
      NotBefore: "5 Jan 2026 09:01:01 GMT",
      Code: "instance-reboot",
      Description: "scheduled reboot",
      EventId: (event as { eventId: string }).eventId,
      NotAfter: "5 Jan 2026 09:03:01 GMT",
      State: "active",
    },
  ]);
  assert.equal(active.maintenanceHistory, undefined);
  const done = noticesAt([event], T0 + 181_000);
  assert.equal(done.scheduledMaintenance, undefined);
  assert.equal(done.maintenanceHistory?.[0]?.State, "completed");
});

test("cancelEvent: a maintenance event that showed moves to history as canceled; one not yet shown just goes", () => {
  const shown = plan({ kind: "maintenance", inMs: 0 });
  const canceled = cancelEvent(shown, T0 + 5_000);
  assert.ok(canceled !== null);
  const notices = noticesAt([canceled], T0 + 5_000);
  assert.equal(notices.scheduledMaintenance, undefined);
  assert.equal(notices.maintenanceHistory?.[0]?.State, "canceled");
  assert.equal(cancelEvent(plan({ kind: "maintenance", inMs: 60_000 }), T0), null);
  assert.equal(cancelEvent(plan({ kind: "spot-interruption", inMs: 0 }), T0 + 1), null);
});

test("noticesAt: the Auto Scaling event posted last wins while several show", () => {
  const warm = plan({ kind: "autoscaling", inMs: 0, state: "Warmed:Stopped" });
  const terminate = plan({ kind: "autoscaling", inMs: 10_000 });
  assert.equal(noticesAt([warm, terminate], T0 + 1).targetLifecycleState, "Warmed:Stopped");
  assert.equal(noticesAt([warm, terminate], T0 + 10_000).targetLifecycleState, "Terminated");
});

test("nextChangeMs: the next appearance, end or interruption after now, else null", () => {
  const spot = plan({ kind: "spot-interruption", inMs: 10_000, interrupt: true, forMs: 5_000 });
  assert.equal(nextChangeMs([spot], T0), T0 + 10_000);
  assert.equal(nextChangeMs([spot], T0 + 10_000), T0 + 15_000);
  // The interruption still acts at the action time although the notice went earlier.
  assert.equal(nextChangeMs([spot], T0 + 15_000), T0 + 10_000 + SPOT_WARNING_MS);
  assert.equal(nextChangeMs([spot], T0 + 10_000 + SPOT_WARNING_MS), null);
});

test("maintenanceDate: the day is not zero-padded, hours are", () => {
  assert.equal(maintenanceDate(Date.UTC(2019, 0, 21, 9, 0, 43)), "21 Jan 2019 09:00:43 GMT");
  assert.equal(maintenanceDate(Date.UTC(2020, 0, 1, 1, 3, 47)), "1 Jan 2020 01:03:47 GMT");
});
