import { test } from "node:test";
import assert from "node:assert/strict";
import type { DomainError } from "../domain/errors.ts";
import { parseEventRequest, parseFaultRequest } from "./control-requests.ts";
import { parseDuration, parseRate } from "./duration.ts";

const DEFAULT = "i-0123456789abcdef0";
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const code = (expected: string) => (e: DomainError) => e.code === expected;

test("parseDuration / parseRate: units, bare numbers of seconds, and junk", () => {
  assert.equal(parseDuration("200ms"), 200);
  assert.equal(parseDuration("30s"), 30_000);
  assert.equal(parseDuration("1.5m"), 90_000);
  assert.equal(parseDuration(30), 30_000);
  assert.equal(parseDuration("45"), 45_000);
  assert.throws(() => parseDuration("soon"), code("InvalidParameterValue"));
  assert.throws(() => parseDuration(-1), code("InvalidParameterValue"));
  assert.equal(parseRate("10/s"), 10);
  assert.equal(parseRate("600/m"), 10);
  assert.equal(parseRate(2), 2);
  assert.throws(() => parseRate("fast"), code("InvalidParameterValue"));
});

test("parseEventRequest: `in` is seconds or a duration; the default instance is used when none is named", () => {
  const request = parseEventRequest(json({ kind: "spot-interruption", in: 30, action: "hibernate" }), DEFAULT);
  assert.deepEqual({ ...request }, {
    instanceId: DEFAULT,
    kind: "spot-interruption",
    inMs: 30_000,
    forMs: undefined,
    action: "hibernate",
    interrupt: undefined,
    code: undefined,
    description: undefined,
    startsInMs: undefined,
    windowMs: undefined,
    state: undefined,
  });
  assert.equal(parseEventRequest(json({ kind: "maintenance", instanceId: "i-1", startsIn: "10m" }), DEFAULT).startsInMs, 600_000);
  assert.throws(() => parseEventRequest(json({ kind: "spot" }), DEFAULT), code("InvalidParameterValue"));
  assert.throws(() => parseEventRequest(json({ kind: "rebalance", extra: 1 }), DEFAULT), code("InvalidParameterValue"));
  assert.throws(() => parseEventRequest(Buffer.from("{"), DEFAULT), code("InvalidParameterValue"));
});

test("parseFaultRequest: one fault becomes a one-step script; steps and single fields do not mix", () => {
  const single = parseFaultRequest(json({ throttle: { status: 429, rate: "10/s" }, latency: "200ms", for: "30s" }), DEFAULT);
  assert.deepEqual(single, {
    instanceId: DEFAULT,
    script: {
      steps: [{ fault: { latencyMs: 200, throttle: { status: 429, ratePerSecond: 10, burst: 10, retryAfterSeconds: null } }, durationMs: 30_000 }],
      loop: false,
    },
  });
  const script = parseFaultRequest(json({ instanceId: "i-1", steps: [{ fault: { outage: "refuse" }, for: 5 }, { fault: null }] }), DEFAULT);
  assert.deepEqual(script.script.steps, [{ fault: { outage: "refuse" }, durationMs: 5_000 }, { fault: null, durationMs: null }]);
  assert.equal(parseFaultRequest(json({}), DEFAULT).script.steps[0]?.fault, null);
  assert.throws(() => parseFaultRequest(json({ steps: [], drop: 0.5 }), DEFAULT), code("InvalidParameterCombination"));
  assert.throws(() => parseFaultRequest(json({ throttle: { status: 500, rate: 1 } }), DEFAULT), code("InvalidParameterValue"));
});
