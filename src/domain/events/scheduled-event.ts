import { DomainError } from "../errors.ts";

/**
 * Events EC2 posts into an instance's metadata, as data: when each appears, when it goes, and
 * what it shows. AEMM's headline features (spot, rebalance, scheduled maintenance, Auto Scaling
 * target lifecycle state), but per instance and on an injected clock.
 */
export const EVENT_KINDS = ["spot-interruption", "rebalance", "maintenance", "autoscaling"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const SPOT_ACTIONS = ["terminate", "stop", "hibernate"] as const;
export type SpotAction = (typeof SPOT_ACTIONS)[number];

/** Codes of EC2 scheduled events (UG "Types of scheduled events"). */
export const MAINTENANCE_CODES = ["instance-reboot", "system-reboot", "system-maintenance", "instance-retirement", "instance-stop"] as const;
export type MaintenanceCode = (typeof MAINTENANCE_CODES)[number];

/** Values of autoscaling/target-lifecycle-state (Auto Scaling UG, "Retrieve the target lifecycle state"). */
export const TARGET_LIFECYCLE_STATES = ["InService", "Terminated", "Warmed:Stopped", "Warmed:Running", "Warmed:Hibernated", "Warmed:Terminated"] as const;
export type TargetLifecycleState = (typeof TARGET_LIFECYCLE_STATES)[number];

/** "a two-minute warning before Amazon EC2 stops or terminates your Spot Instance" (UG, Spot interruption notices). */
export const SPOT_WARNING_MS = 120_000;

interface EventTimes {
  readonly id: string;
  readonly instanceId: string;
  /** When the event appears in the metadata. */
  readonly atMs: number;
  /** When it disappears; null: until cancelled (maintenance: ignored, it ends at notAfterMs). */
  readonly untilMs: number | null;
  readonly createdAtMs: number;
}

export interface SpotInterruptionEvent extends EventTimes {
  readonly kind: "spot-interruption";
  readonly action: SpotAction;
  /** Stop or terminate the instance at the action time, as EC2 does; off by default (docs/behaviour.md). */
  readonly interrupt: boolean;
}

export interface RebalanceEvent extends EventTimes {
  readonly kind: "rebalance";
}

export interface MaintenanceEvent extends EventTimes {
  readonly kind: "maintenance";
  readonly code: MaintenanceCode;
  readonly description: string;
  /** instance-event-<17 hex>, as DescribeInstanceStatus names it. */
  readonly eventId: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** Set when cancelled after it appeared: it then shows in history as canceled. */
  readonly canceledAtMs: number | null;
}

export interface AutoScalingEvent extends EventTimes {
  readonly kind: "autoscaling";
  readonly state: TargetLifecycleState;
}

export type ScheduledEvent = SpotInterruptionEvent | RebalanceEvent | MaintenanceEvent | AutoScalingEvent;

/** A request to schedule one event, already parsed at the boundary; times are relative to now. */
export interface EventRequest {
  readonly instanceId: string;
  readonly kind: EventKind;
  readonly inMs: number;
  /** How long it stays; default: spot until the action time, maintenance until NotAfter, others until cancelled. */
  readonly forMs?: number | undefined;
  readonly action?: SpotAction | undefined;
  readonly interrupt?: boolean | undefined;
  readonly code?: MaintenanceCode | undefined;
  readonly description?: string | undefined;
  /** Maintenance: NotBefore, counted from when the event appears (default one day). */
  readonly startsInMs?: number | undefined;
  /** Maintenance: NotAfter - NotBefore (default two hours). */
  readonly windowMs?: number | undefined;
  readonly state?: TargetLifecycleState | undefined;
}

const DAY_MS = 86_400_000;
const MAX_DELAY_MS = 366 * DAY_MS;

const DEFAULT_DESCRIPTIONS: Readonly<Record<MaintenanceCode, string>> = {
  "instance-reboot": "scheduled reboot",
  "system-reboot": "scheduled reboot",
  "system-maintenance": "scheduled maintenance",
  "instance-retirement": "scheduled retirement",
  "instance-stop": "scheduled stop",
};

function checkDuration(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value < min || value > MAX_DELAY_MS) {
    throw new DomainError("InvalidParameterValue", `${name} must be between ${min} ms and 366 days, got ${value}`);
  }
}

/** Turns a request into an event, or throws InvalidParameterValue for what does not apply to its kind. */
export function planEvent(request: EventRequest, ids: { id: string; eventId: string }, nowMs: number): ScheduledEvent {
  checkDuration("in", request.inMs, 0);
  checkDuration("for", request.forMs, 1);
  checkDuration("startsIn", request.startsInMs, 0);
  checkDuration("window", request.windowMs, 1);
  const kind = request.kind;
  const only = (field: keyof EventRequest, kinds: EventKind[]) => {
    if (request[field] !== undefined && !kinds.includes(kind)) {
      throw new DomainError("InvalidParameterCombination", `${field} does not apply to a ${kind} event`);
    }
  };
  only("action", ["spot-interruption"]);
  only("interrupt", ["spot-interruption"]);
  only("code", ["maintenance"]);
  only("description", ["maintenance"]);
  only("startsInMs", ["maintenance"]);
  only("windowMs", ["maintenance"]);
  only("state", ["autoscaling"]);
  const atMs = nowMs + request.inMs;
  const untilMs = request.forMs === undefined ? null : atMs + request.forMs;
  const base = { id: ids.id, instanceId: request.instanceId, atMs, createdAtMs: nowMs };
  switch (kind) {
    case "spot-interruption":
      return {
        ...base,
        kind,
        untilMs: untilMs ?? atMs + SPOT_WARNING_MS,
        action: request.action ?? "terminate",
        interrupt: request.interrupt ?? false,
      };
    case "rebalance":
      return { ...base, kind, untilMs };
    case "maintenance": {
      const code = request.code ?? "system-reboot";
      const notBeforeMs = atMs + (request.startsInMs ?? DAY_MS);
      return {
        ...base,
        kind,
        untilMs: null,
        code,
        description: request.description ?? DEFAULT_DESCRIPTIONS[code],
        eventId: ids.eventId,
        notBeforeMs,
        notAfterMs: notBeforeMs + (request.windowMs ?? 2 * 3_600_000),
        canceledAtMs: null,
      };
    }
    case "autoscaling":
      return { ...base, kind, untilMs, state: request.state ?? "Terminated" };
  }
}

/** When a spot interruption acts: two minutes after its notice (the notice's own `time`). */
export function spotActionTimeMs(event: SpotInterruptionEvent): number {
  return event.atMs + SPOT_WARNING_MS;
}
