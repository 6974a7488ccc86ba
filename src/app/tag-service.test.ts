import assert from "node:assert/strict";
import { test } from "node:test";
import { launch, PLAIN_IMAGE, putTemplate, stateSnapshot, withHarness } from "../../test/support/instances.ts";

const SCOPE = { accountId: "123456789012", region: "us-east-1" };

test("tag-service: a plan names each resource once and writes only when applied", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    const before = stateSnapshot(h);
    const writes = h.services.tags.planTagChange(SCOPE, [id!, id!], { kind: "create", tags: [{ key: "a", value: "1" }] });
    assert.equal(writes.length, 1);
    assert.equal(stateSnapshot(h), before);
    await h.services.tags.applyTagChange(writes);
    assert.deepEqual(h.services.tags.tagDescriptions(SCOPE), [{ resourceId: id, resourceType: "instance", key: "a", value: "1" }]);
  }));

test("tag-service: one unknown resource fails the plan for all", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    putTemplate(h, { id: "lt-0123456789abcdef0", name: "web", versions: [{ imageId: PLAIN_IMAGE }] });
    assert.throws(
      () => h.services.tags.planTagChange(SCOPE, [id!, "lt-0123456789abcdef0", "lt-0123456789abcdef1"], { kind: "delete", removals: undefined }),
      /lt-0123456789abcdef1/,
    );
  }));
