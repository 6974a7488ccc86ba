/**
 * Instance lifecycle as StartInstances / StopInstances / TerminateInstances report it. EC2 answers
 * with the transitional state (pending, stopping, shutting-down); the emulator stores the state the
 * transition ends in at once, since nothing boots or shuts down here.
 */
import type { InstanceStateName } from "./instance.ts";
import { incorrectInstanceState } from "./resource-errors.ts";

/** `InstanceState.Code` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceState.html): the low byte EC2 documents for each state. */
export const INSTANCE_STATE_CODES: Readonly<Record<InstanceStateName, number>> = Object.freeze({
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
});

export type StateOperation = "start" | "stop" | "terminate";

export interface StateTransition {
  readonly previous: InstanceStateName;
  /** What the API answers as currentState. */
  readonly reported: InstanceStateName;
  /** What the instance is from now on. */
  readonly stored: InstanceStateName;
}

function isGone(state: InstanceStateName): boolean {
  return state === "terminated" || state === "shutting-down";
}

function isDown(state: InstanceStateName): boolean {
  return state === "stopped" || state === "stopping";
}

/**
 * The transition `operation` causes from `state`, or IncorrectInstanceState. Repeating an operation
 * is accepted and reports the unchanged state (start of a running instance: running -> running).
 */
export function transitionFor(instanceId: string, state: InstanceStateName, operation: StateOperation): StateTransition {
  switch (operation) {
    case "start":
      if (isGone(state)) throw incorrectInstanceState(instanceId, "started");
      return isDown(state)
        ? { previous: state, reported: "pending", stored: "running" }
        : { previous: state, reported: state, stored: state };
    case "stop":
      if (isGone(state)) throw incorrectInstanceState(instanceId, "stopped");
      return isDown(state)
        ? { previous: state, reported: state, stored: "stopped" }
        : { previous: state, reported: "stopping", stored: "stopped" };
    case "terminate":
      return state === "terminated"
        ? { previous: state, reported: state, stored: state }
        : { previous: state, reported: "shutting-down", stored: "terminated" };
  }
}

export function isTerminated(state: InstanceStateName): boolean {
  return isGone(state);
}
