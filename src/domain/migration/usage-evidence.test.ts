import assert from "node:assert/strict";
import { test } from "node:test";
import { parseWindow, usageRank, usageVerdict, type ImdsUsageEvidence } from "./usage-evidence.ts";

const window = { source: "cloudwatch", windowStart: "2026-11-21T10:00:00.000Z", windowEnd: "2026-12-05T10:00:00.000Z" } as const;
const quiet: ImdsUsageEvidence = { ...window, noTokenCalls: 0, rejectedCalls: 0 };
const busy: ImdsUsageEvidence = { ...window, noTokenCalls: 12, rejectedCalls: 0, lastNoTokenAt: "2026-12-05T08:41:00.000Z" };

test("usage evidence: the verdict says safe or what breaks, with the callers the report saw", () => {
  assert.equal(usageVerdict(quiet), "no IMDSv1 use seen in 14d — safe to require");
  assert.equal(usageVerdict(busy, ["python3 poll.py (pid 42)"]), "breaks: 12 IMDSv1 call(s) in 14d, last at 2026-12-05T08:41:00.000Z; callers: python3 poll.py (pid 42)");
});

test("usage evidence: --since windows, and the plan's order (no use first, unknown last)", () => {
  assert.equal(parseWindow("14d"), 14 * 86_400_000);
  assert.equal(parseWindow("36h"), 36 * 3_600_000);
  assert.equal(parseWindow("90m"), 90 * 60_000);
  for (const bad of ["0d", "14", "2w", "-1d", ""]) assert.equal(parseWindow(bad), undefined, bad);
  const order = [busy, undefined, quiet].sort((a, b) => usageRank(a) - usageRank(b));
  assert.deepEqual(order, [quiet, busy, undefined]);
});
