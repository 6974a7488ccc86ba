import assert from "node:assert/strict";
import { test } from "node:test";
import Database from "better-sqlite3";
import { ManualClock } from "../platform/clock.ts";
import { MIGRATIONS } from "../store/migrations.ts";
import { SqliteMetricStore } from "../store/sqlite-metric-store.ts";
import { ONE_MINUTE_RETENTION_MS } from "./constants.ts";
import { MetricSampler, type SampledInstance } from "./metric-sampler.ts";

function harness() {
  const db = new Database(":memory:");
  for (const sql of MIGRATIONS.slice(0, 2)) if (typeof sql === "string") db.exec(sql);
  const store = new SqliteMetricStore(db);
  const clock = new ManualClock(Date.UTC(2026, 11, 1, 10, 0, 30));
  const counters = { metadataNoToken: 0, metadataNoTokenRejected: 0 };
  let instance: SampledInstance = { accountId: "111111111111", region: "us-east-1", instanceId: "i-1", counters };
  const sampler = new MetricSampler(store, () => [instance], () => clock.nowMs());
  const key = { accountId: "111111111111", region: "us-east-1", instanceId: "i-1", metric: "MetadataNoToken" as const };
  const minutes = () => store.minutes(key, 0, Number.MAX_SAFE_INTEGER).map((m) => [new Date(m.minuteMs).toISOString().slice(11, 16), m.sum]);
  return { store, clock, counters, sampler, minutes, setInstance: (i: SampledInstance) => (instance = i) };
}

test("metric sampler: the counters' increase lands in the minute it was sampled in", () => {
  const h = harness();
  h.counters.metadataNoToken = 3;
  h.sampler.sample();
  h.counters.metadataNoToken = 5;
  h.sampler.sample();
  h.clock.advance(60_000);
  h.counters.metadataNoToken = 6;
  h.sampler.sample();
  h.sampler.sample();
  assert.deepEqual(h.minutes(), [["10:00", 5], ["10:01", 1]]);
});

test("metric sampler: a runtime that went away and came back counts from zero again", () => {
  const h = harness();
  h.counters.metadataNoToken = 4;
  h.sampler.sample();
  h.setInstance({ accountId: "111111111111", region: "us-east-1", instanceId: "i-1", counters: undefined });
  h.sampler.sample();
  h.setInstance({ accountId: "111111111111", region: "us-east-1", instanceId: "i-1", counters: { metadataNoToken: 2, metadataNoTokenRejected: 0 } });
  h.sampler.sample();
  assert.deepEqual(h.minutes(), [["10:00", 6]]);
});

test("metric sampler: 1-minute datapoints are kept 15 days, CloudWatch's retention for that resolution", () => {
  const h = harness();
  h.counters.metadataNoToken = 1;
  h.sampler.sample();
  h.clock.advance(ONE_MINUTE_RETENTION_MS - 60_000);
  h.sampler.sample();
  assert.equal(h.minutes().length, 1);
  h.clock.advance(2 * 60_000);
  h.sampler.sample();
  assert.equal(h.minutes().length, 0);
});
