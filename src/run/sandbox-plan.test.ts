import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IMDS_IPV4, IMDS_IPV6, MAX_HOPS, namespaceOwner, planSandbox } from "./sandbox-plan.ts";

describe("sandbox plan", () => {
  it("sandbox plan: one hop is the IMDS namespace and COMMAND's, joined by one link, with no default route", () => {
    const plan = planSandbox(1, 42);
    assert.deepEqual(plan.namespaces.map((n) => n.name), ["imdslab-run-42-0", "imdslab-run-42-1"]);
    assert.equal(plan.commandNamespace, "imdslab-run-42-1");
    assert.equal(plan.callerV4, "203.0.113.2");
    const command = plan.namespaces[1]!;
    assert.deepEqual(command.devices, ["eth0"]);
    assert.deepEqual(
      command.routes.map((r) => `${r.dst} via ${r.via}`),
      [`${IMDS_IPV4} via 203.0.113.1`, `${IMDS_IPV6} via 2001:db8:0:1::1`],
    );
    assert.ok(plan.namespaces.every((n) => n.routes.every((r) => r.dst !== "default" && !r.dst.startsWith("0.0.0.0"))));
    assert.equal(plan.namespaces.some((n) => n.forwards), false);
  });

  it("sandbox plan: N hops put N-1 forwarding namespaces between the IMDS and COMMAND", () => {
    const plan = planSandbox(3, 7);
    assert.equal(plan.namespaces.length, 4);
    assert.deepEqual(plan.namespaces.map((n) => n.forwards), [false, true, true, false]);
    assert.equal(plan.callerV4, "203.0.113.10");
    // The IMDS answers COMMAND's link through the first router.
    assert.deepEqual(plan.namespaces[0]!.routes.map((r) => `${r.dst} via ${r.via}`), ["203.0.113.8/30 via 203.0.113.2", "2001:db8:0:3::/64 via 2001:db8:0:1::2"]);
  });

  it("sandbox plan: hops are 1..64 (HttpPutResponseHopLimit's range) and names carry the creating pid", () => {
    assert.throws(() => planSandbox(0, 1), RangeError);
    assert.throws(() => planSandbox(MAX_HOPS + 1, 1), RangeError);
    const last = planSandbox(MAX_HOPS, 1);
    assert.equal(last.callerV4, "203.0.113.254");
    assert.equal(namespaceOwner("imdslab-run-1234-5"), 1234);
    assert.equal(namespaceOwner("imdslab-imds-1234"), null);
  });
});
