import type { InstanceRecord, InstanceStateName } from "../instance/instance.ts";
import { eventStatus } from "./event-timeline.ts";
import type { MaintenanceCode, ScheduledEvent } from "./scheduled-event.ts";

/**
 * One instance as DescribeInstanceStatus reports it
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html):
 * its state, the two status checks, and its scheduled events. See docs/behaviour.md#describe-instance-status.
 */
export type SummaryStatus = "ok" | "impaired" | "insufficient-data" | "not-applicable" | "initializing";

export interface StatusCheck {
  readonly status: SummaryStatus;
  /** The `reachability` detail; absent when the check does not apply (instance not running). */
  readonly reachability: "passed" | null;
}

export interface InstanceStatusEvent {
  readonly instanceEventId: string;
  readonly code: MaintenanceCode;
  readonly description: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export interface InstanceStatusReport {
  readonly instanceId: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly state: InstanceStateName;
  readonly instanceStatus: StatusCheck;
  readonly systemStatus: StatusCheck;
  readonly events: readonly InstanceStatusEvent[];
}

/** "By default, only running instances are described" (API reference, IncludeAllInstances). */
export function isDescribedByDefault(state: InstanceStateName): boolean {
  return state === "running";
}

/**
 * Status checks run on running instances only; the emulated hardware never fails them, so a
 * running instance passes both. Events: the scheduled maintenance events showing in the
 * instance's metadata now (`events/maintenance/scheduled`), not those cancelled or completed.
 */
export function instanceStatusReport(record: InstanceRecord, events: readonly ScheduledEvent[], nowMs: number): InstanceStatusReport {
  const check: StatusCheck = record.state === "running" ? { status: "ok", reachability: "passed" } : { status: "not-applicable", reachability: null };
  const shown: InstanceStatusEvent[] = [];
  for (const event of events) {
    if (event.kind !== "maintenance" || event.instanceId !== record.instanceId) continue;
    if (event.canceledAtMs !== null || eventStatus(event, nowMs) !== "active") continue;
    shown.push({ instanceEventId: event.eventId, code: event.code, description: event.description, notBeforeMs: event.notBeforeMs, notAfterMs: event.notAfterMs });
  }
  shown.sort((a, b) => a.notBeforeMs - b.notBeforeMs);
  return {
    instanceId: record.instanceId,
    availabilityZone: record.availabilityZone,
    availabilityZoneId: record.availabilityZoneId,
    state: record.state,
    instanceStatus: check,
    systemStatus: check,
    events: shown,
  };
}
