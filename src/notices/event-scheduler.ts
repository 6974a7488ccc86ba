import type { InstanceNotices } from "../domain/catalogue/instance-catalogue.ts";
import { DomainError } from "../domain/errors.ts";
import { cancelEvent, eventStatus, isoSeconds, nextChangeMs, noticesAt, sameNotices, type EventStatus } from "../domain/events/event-timeline.ts";
import { planEvent, spotActionTimeMs, type EventRequest, type ScheduledEvent, type SpotAction } from "../domain/events/scheduled-event.ts";
import type { Clock } from "../platform/clock.ts";
import { ScheduledEventBook } from "./scheduled-event-book.ts";
import type { Timers } from "./timers.ts";

export interface EventSchedulerDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  /** Shows the notices in the instance's metadata (ImdsHost.setNotices). */
  publish(instanceId: string, notices: InstanceNotices): void;
  /** Stops or terminates the instance when a spot event with `interrupt` reaches its action time. */
  interrupt?(instanceId: string, action: SpotAction): Promise<void>;
  newId(): string;
  newEventId(): string;
  /** Failures of `interrupt` (the instance may be gone); they never stop the schedule. */
  onError?(err: unknown): void;
  /** Where the events are kept; shared with DescribeInstanceStatus when given. */
  readonly book?: ScheduledEventBook;
}

/** What GET /_imds-lab/events shows of one event. */
export type EventView = ScheduledEvent & { readonly status: EventStatus; readonly appearsAt: string; readonly disappearsAt: string | null };

const MAX_EVENTS = 10_000;

/**
 * Keeps the scheduled events of every instance and publishes what each instance's metadata shows
 * whenever an event appears or ends: one timer, armed for the next change.
 */
export class EventScheduler {
  private readonly events: ScheduledEventBook;
  private readonly published = new Map<string, InstanceNotices>();
  private readonly interrupted = new Set<string>();
  private timer: unknown = null;
  private closed = false;

  constructor(private readonly deps: EventSchedulerDeps) {
    this.events = deps.book ?? new ScheduledEventBook();
  }

  schedule(request: EventRequest): EventView {
    if (this.events.size >= MAX_EVENTS) throw new DomainError("EventLimitExceeded", `at most ${MAX_EVENTS} events; cancel some first`);
    const event = planEvent(request, { id: this.deps.newId(), eventId: this.deps.newEventId() }, this.deps.clock.nowMs());
    this.events.set(event.id, event);
    this.refresh();
    return this.view(event);
  }

  /** Cancels one event by id, or every event of an instance, or all; returns what was cancelled. */
  cancel(filter: { id?: string | undefined; instanceId?: string | undefined }): EventView[] {
    const now = this.deps.clock.nowMs();
    const cancelled: EventView[] = [];
    for (const event of [...this.events.values()]) {
      if (filter.id !== undefined && event.id !== filter.id) continue;
      if (filter.instanceId !== undefined && event.instanceId !== filter.instanceId) continue;
      if (eventStatus(event, now) === "ended") continue;
      const kept = cancelEvent(event, now);
      if (kept === null) this.events.delete(event.id);
      else this.events.set(event.id, kept);
      cancelled.push(this.view(kept ?? event));
    }
    if (filter.id !== undefined && cancelled.length === 0) {
      throw new DomainError("InvalidEventId.NotFound", `no event ${filter.id} waiting or showing`);
    }
    this.refresh();
    return cancelled;
  }

  list(instanceId?: string): EventView[] {
    return [...this.events.values()]
      .filter((e) => instanceId === undefined || e.instanceId === instanceId)
      .sort((a, b) => a.atMs - b.atMs || a.createdAtMs - b.createdAtMs)
      .map((e) => this.view(e));
  }

  close(): void {
    this.closed = true;
    if (this.timer !== null) this.deps.timers.clear(this.timer);
    this.timer = null;
  }

  /** Publishes every instance whose notices changed, acts on due interruptions, re-arms the timer. */
  private refresh(): void {
    if (this.closed) return;
    const now = this.deps.clock.nowMs();
    const byInstance = new Map<string, ScheduledEvent[]>();
    for (const id of this.published.keys()) byInstance.set(id, []);
    for (const event of this.events.values()) {
      const list = byInstance.get(event.instanceId);
      if (list === undefined) byInstance.set(event.instanceId, [event]);
      else list.push(event);
    }
    for (const [instanceId, events] of byInstance) {
      const notices = noticesAt(events, now);
      const previous = this.published.get(instanceId);
      if (previous === undefined ? Object.keys(notices).length > 0 : !sameNotices(previous, notices)) {
        this.published.set(instanceId, notices);
        this.deps.publish(instanceId, notices);
      }
      for (const event of events) {
        if (event.kind !== "spot-interruption" || !event.interrupt || this.interrupted.has(event.id) || now < spotActionTimeMs(event)) continue;
        this.interrupted.add(event.id);
        this.deps.interrupt?.(event.instanceId, event.action).catch((err: unknown) => this.deps.onError?.(err));
      }
    }
    if (this.timer !== null) this.deps.timers.clear(this.timer);
    this.timer = null;
    const next = nextChangeMs([...this.events.values()], now);
    if (next !== null) this.timer = this.deps.timers.set(() => this.refresh(), next - now);
  }

  private view(event: ScheduledEvent): EventView {
    const now = this.deps.clock.nowMs();
    const endsMs = event.kind === "maintenance" ? (event.canceledAtMs ?? event.notAfterMs) : event.untilMs;
    return { ...event, status: eventStatus(event, now), appearsAt: isoSeconds(event.atMs), disappearsAt: endsMs === null ? null : isoSeconds(endsMs) };
  }
}
