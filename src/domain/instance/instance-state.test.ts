import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../errors.ts";
import { INSTANCE_STATE_CODES, transitionFor } from "./instance-state.ts";

test("instance-state: codes are EC2's low bytes", () => {
  assert.deepEqual(INSTANCE_STATE_CODES, { pending: 0, running: 16, "shutting-down": 32, terminated: 48, stopping: 64, stopped: 80 });
});

test("instance-state: transitions report EC2's intermediate state and store the final one", () => {
  assert.deepEqual(transitionFor("i-1", "running", "stop"), { previous: "running", reported: "stopping", stored: "stopped" });
  assert.deepEqual(transitionFor("i-1", "stopped", "start"), { previous: "stopped", reported: "pending", stored: "running" });
  assert.deepEqual(transitionFor("i-1", "running", "terminate"), { previous: "running", reported: "shutting-down", stored: "terminated" });
  assert.deepEqual(transitionFor("i-1", "stopped", "terminate"), { previous: "stopped", reported: "shutting-down", stored: "terminated" });
});

test("instance-state: repeating an operation reports the unchanged state", () => {
  assert.deepEqual(transitionFor("i-1", "running", "start"), { previous: "running", reported: "running", stored: "running" });
  assert.deepEqual(transitionFor("i-1", "stopped", "stop"), { previous: "stopped", reported: "stopped", stored: "stopped" });
  assert.deepEqual(transitionFor("i-1", "terminated", "terminate"), { previous: "terminated", reported: "terminated", stored: "terminated" });
});

test("instance-state: a terminated instance can be neither started nor stopped", () => {
  for (const operation of ["start", "stop"] as const) {
    assert.throws(() => transitionFor("i-1", "terminated", operation), (e: DomainError) => e.code === "IncorrectInstanceState");
  }
});
