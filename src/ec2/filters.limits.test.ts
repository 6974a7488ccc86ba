import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk } from "../../test/support/ec2-answers.ts";
import { describedInstances, launch, withHarness as withInstances } from "../../test/support/instances.ts";
import { withHarness as withImages } from "../../test/support/images.ts";

/** Issue 11, reproduction 1: these took 7 s and 15 s with the backtracking regular expression. */
test("filters: the issue's pathological DescribeImages name filter answers within 100 ms", () =>
  withImages(async (h) => {
    const started = performance.now();
    const result = await h.call("DescribeImages", { "Filter.1.Name": "name", "Filter.1.Value.1": "*?*?*?*?*?*?*?*?Q" });
    const ms = performance.now() - started;
    expectOk(result);
    assert.ok(ms < 100, `took ${ms.toFixed(1)} ms`);
  }));

test("filters: a 256-character tag value against tag:r=*a*a*a*a*ab answers within 100 ms", () =>
  withInstances(async (h) => {
    await launch(h, { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "r", "TagSpecification.1.Tag.1.Value": "a".repeat(256) });
    const started = performance.now();
    const result = await h.call("DescribeInstances", { "Filter.1.Name": "tag:r", "Filter.1.Value.1": "*a*a*a*a*ab" });
    const ms = performance.now() - started;
    expectOk(result);
    assert.deepEqual(describedInstances(result), []);
    assert.ok(ms < 100, `took ${ms.toFixed(1)} ms`);
    const matching = await h.call("DescribeInstances", { "Filter.1.Name": "tag:r", "Filter.1.Value.1": "*a*a*a*a*a" });
    assert.equal(describedInstances(matching).length, 1);
  }));

test("filters: more than 200 filter values in one call is FilterLimitExceeded, as EC2 answers", () =>
  withImages(async (h) => {
    const values: Record<string, string> = { "Filter.1.Name": "name" };
    for (let i = 1; i <= 200; i++) values[`Filter.1.Value.${i}`] = `v${i}`;
    expectOk(await h.call("DescribeImages", values));
    const tooMany = await h.call("DescribeImages", { ...values, "Filter.2.Name": "state", "Filter.2.Value.1": "available" });
    assert.equal(expectError(tooMany, "FilterLimitExceeded"), "The maximum number of filter values specified on a single call is 200");
    const templates = await h.call("DescribeLaunchTemplates", { ...values, "Filter.1.Name": "launch-template-name", "Filter.2.Name": "tag:a" });
    expectError(templates, "FilterLimitExceeded");
  }));
