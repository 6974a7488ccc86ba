import assert from "node:assert/strict";
import { test } from "node:test";
import { aggregateByPeriod, roundStartTime, statisticOf } from "./statistics.ts";

const T0 = Date.UTC(2026, 11, 1, 10, 0);
const minute = (n: number, sum: number) => ({ minuteMs: T0 + n * 60_000, sum });

test("statistics: periods start at StartTime and hold only the minutes inside the range", () => {
  const minutes = [minute(-1, 9), minute(0, 2), minute(1, 3), minute(5, 4), minute(10, 100)];
  const periods = aggregateByPeriod(minutes, T0, T0 + 10 * 60_000, 5 * 60_000);
  assert.deepEqual(
    periods.map((p) => [p.startMs - T0, p.sum, p.sampleCount, p.minimum, p.maximum]),
    [
      [0, 5, 2, 2, 3],
      [300_000, 4, 1, 4, 4],
    ],
  );
  assert.equal(statisticOf(periods[0]!, "Average"), 2.5);
  assert.equal(statisticOf(periods[0]!, "SampleCount"), 2);
});

test("statistics: StartTime rounds down to the minute, 5 minutes or the hour by its age", () => {
  const now = T0 + 30 * 86_400_000;
  assert.equal(roundStartTime(now - 86_400_000 + 59_000, now), now - 86_400_000);
  assert.equal(roundStartTime(T0 + 20 * 86_400_000 + 299_000 - 86_400_000 * 20, now) % 300_000, 0);
  assert.equal(roundStartTime(now - 80 * 86_400_000 + 1234, now) % 3_600_000, 0);
});
