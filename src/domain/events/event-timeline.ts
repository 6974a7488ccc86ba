import type { InstanceNotices } from "../catalogue/instance-catalogue.ts";
import { spotActionTimeMs, type MaintenanceEvent, type ScheduledEvent } from "./scheduled-event.ts";

export type EventStatus = "scheduled" | "active" | "ended";

/** Whether the event is waiting to appear, showing now, or gone (maintenance: moved to history). */
export function eventStatus(event: ScheduledEvent, nowMs: number): EventStatus {
  if (nowMs < event.atMs) return "scheduled";
  if (event.kind === "maintenance") return event.canceledAtMs === null && nowMs < event.notAfterMs ? "active" : "ended";
  return event.untilMs === null || nowMs < event.untilMs ? "active" : "ended";
}

/** Of several events of one kind showing at once, the one posted last wins (EC2 shows one value). */
function latestActive<E extends ScheduledEvent>(events: readonly E[], nowMs: number): E | undefined {
  let latest: E | undefined;
  for (const e of events) {
    if (eventStatus(e, nowMs) !== "active") continue;
    if (latest === undefined || e.atMs > latest.atMs || (e.atMs === latest.atMs && e.createdAtMs >= latest.createdAtMs)) latest = e;
  }
  return latest;
}

/** RFC 3339 in UTC without fractions, as spot/instance-action and rebalance show time. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "21 Jan 2019 09:00:43 GMT": the date form of events/maintenance (day not zero-padded, as AEMM). */
export function maintenanceDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} GMT`;
}

/** One scheduled event as events/maintenance/{scheduled,history} lists it, in the UG's key order. */
function maintenanceEntry(event: MaintenanceEvent, state: "active" | "completed" | "canceled"): Record<string, string> {
  return {
    NotBefore: maintenanceDate(event.notBeforeMs),
    Code: event.code,
    Description: event.description,
    EventId: event.eventId,
    NotAfter: maintenanceDate(event.notAfterMs),
    State: state,
  };
}

/** What one instance's metadata shows at `nowMs`, from all events scheduled for it. */
export function noticesAt(events: readonly ScheduledEvent[], nowMs: number): InstanceNotices {
  const spot = latestActive(events.filter((e) => e.kind === "spot-interruption"), nowMs);
  const rebalance = latestActive(events.filter((e) => e.kind === "rebalance"), nowMs);
  const autoscaling = latestActive(events.filter((e) => e.kind === "autoscaling"), nowMs);
  const maintenance = events
    .filter((e): e is MaintenanceEvent => e.kind === "maintenance" && nowMs >= e.atMs)
    .sort((a, b) => a.notBeforeMs - b.notBeforeMs || a.createdAtMs - b.createdAtMs);
  const scheduled = maintenance.filter((e) => eventStatus(e, nowMs) === "active").map((e) => maintenanceEntry(e, "active"));
  // EC2 moves an event to history once it completes, or at once when it is canceled.
  const history = maintenance
    .filter((e) => eventStatus(e, nowMs) === "ended")
    .map((e) => maintenanceEntry(e, e.canceledAtMs !== null ? "canceled" : "completed"));
  const notices: { -readonly [K in keyof InstanceNotices]: InstanceNotices[K] } = {};
  if (spot !== undefined) notices.spotInstanceAction = { action: spot.action, time: isoSeconds(spotActionTimeMs(spot)) };
  if (rebalance !== undefined) notices.rebalanceNoticeTime = isoSeconds(rebalance.atMs);
  if (scheduled.length > 0) notices.scheduledMaintenance = scheduled;
  if (history.length > 0) notices.maintenanceHistory = history;
  if (autoscaling !== undefined) notices.targetLifecycleState = autoscaling.state;
  return notices;
}

/** The next instant after `nowMs` at which any event appears, ends or acts; null when none is left. */
export function nextChangeMs(events: readonly ScheduledEvent[], nowMs: number): number | null {
  let next: number | null = null;
  const consider = (t: number | null) => {
    if (t !== null && t > nowMs && (next === null || t < next)) next = t;
  };
  for (const e of events) {
    consider(e.atMs);
    if (e.kind === "maintenance") consider(e.canceledAtMs === null ? e.notAfterMs : null);
    else consider(e.untilMs);
    if (e.kind === "spot-interruption" && e.interrupt) consider(spotActionTimeMs(e));
  }
  return next;
}

/**
 * Cancelling: an event that never showed simply goes; a maintenance event that showed stays in
 * history as canceled; any other event that showed disappears now.
 */
export function cancelEvent(event: ScheduledEvent, nowMs: number): ScheduledEvent | null {
  if (event.kind === "maintenance" && nowMs >= event.atMs && eventStatus(event, nowMs) === "active") {
    return { ...event, canceledAtMs: nowMs };
  }
  return null;
}

/** Two notices are the same when they would render the same metadata. */
export function sameNotices(a: InstanceNotices, b: InstanceNotices): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
