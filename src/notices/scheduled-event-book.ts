import type { ScheduledEvent } from "../domain/events/scheduled-event.ts";

/**
 * The scheduled events of every instance, by id. Built once in main.ts and shared: the
 * EventScheduler writes it, the application reads it for DescribeInstanceStatus
 * (src/app/ports.ts ScheduledEventsQuery).
 */
export class ScheduledEventBook {
  private readonly events = new Map<string, ScheduledEvent>();

  get size(): number {
    return this.events.size;
  }

  set(id: string, event: ScheduledEvent): void {
    this.events.set(id, event);
  }

  delete(id: string): void {
    this.events.delete(id);
  }

  values(): IterableIterator<ScheduledEvent> {
    return this.events.values();
  }

  list(instanceId?: string): ScheduledEvent[] {
    return [...this.events.values()].filter((e) => instanceId === undefined || e.instanceId === instanceId);
  }
}
