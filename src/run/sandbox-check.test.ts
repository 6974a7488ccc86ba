import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkSandbox, type ObservedNamespace, type ObservedRoute } from "./sandbox-check.ts";
import { planSandbox, type SandboxPlan } from "./sandbox-plan.ts";

const route = (dst: string, dev: string, extra: Partial<ObservedRoute> = {}): ObservedRoute => ({ type: "unicast", dst, dev, gateway: null, table: "main", protocol: "kernel", ...extra });

/** What the kernel shows for a correctly built plan (as read from `ip -j` on Linux 6.1). */
function healthy(plan: SandboxPlan): Map<string, ObservedNamespace> {
  const out = new Map<string, ObservedNamespace>();
  for (const ns of plan.namespaces) {
    const peers = [ns.index > 0 ? plan.namespaces[ns.index - 1]!.name : null, ns.index < plan.hops ? plan.namespaces[ns.index + 1]!.name : null].filter((p) => p !== null);
    const links = [{ ifname: "lo", kind: null, peerNamespace: null }, ...ns.devices.map((d, i) => ({ ifname: d, kind: "veth", peerNamespace: peers[i]! }))];
    const routes: ObservedRoute[] = [route("127.0.0.1", "lo", { type: "local", table: "local" })];
    const up = plan.links[ns.index - 1];
    const down = plan.links[ns.index];
    if (up) routes.push(route(up.v4Prefix, "eth0"), route(up.v6Prefix, "eth0"), route("fe80::/64", "eth0"));
    if (down && ns.index < plan.hops) routes.push(route(down.v4Prefix, "down0"), route(down.v6Prefix, "down0"));
    if (ns.index === 0) routes.push(route("fd00:ec2::254", "lo"));
    for (const r of ns.routes) routes.push(route(r.dst, r.dev, { gateway: r.via ?? null, protocol: null }));
    out.set(ns.name, { links, routes });
  }
  return out;
}

describe("sandbox check", () => {
  const plan = planSandbox(2, 99);

  it("sandbox check: a chain exactly as planned passes", () => {
    const observed = healthy(plan);
    assert.deepEqual(checkSandbox(plan, (n) => observed.get(n)!), []);
  });

  it("sandbox check: an extra interface, a veth whose peer is outside, or a missing device is refused", () => {
    const observed = healthy(plan);
    const cmd = observed.get(plan.commandNamespace)!;
    observed.set(plan.commandNamespace, { ...cmd, links: [...cmd.links, { ifname: "wlan0", kind: null, peerNamespace: null }] });
    const router = observed.get(plan.namespaces[1]!.name)!;
    observed.set(plan.namespaces[1]!.name, { ...router, links: router.links.map((l) => (l.ifname === "down0" ? { ...l, peerNamespace: "" } : l)) });
    const imds = observed.get(plan.imdsNamespace)!;
    observed.set(plan.imdsNamespace, { ...imds, links: imds.links.filter((l) => l.ifname !== "down0") });
    const problems = checkSandbox(plan, (n) => observed.get(n)!);
    assert.ok(problems.some((p) => p.includes("wlan0") && p.includes("not created by imds-lab")));
    assert.ok(problems.some((p) => p.includes("peer of down0 is outside")));
    assert.ok(problems.some((p) => p.includes("down0 is missing")));
  });

  it("sandbox check: a default route, a route over a foreign device, or a missing planned route is refused", () => {
    const observed = healthy(plan);
    const cmd = observed.get(plan.commandNamespace)!;
    observed.set(plan.commandNamespace, {
      ...cmd,
      routes: [...cmd.routes.filter((r) => r.dst !== "fd00:ec2::254"), route("default", "eth0", { gateway: "203.0.113.5", protocol: null }), route("10.0.0.0/8", "tun0")],
    });
    const problems = checkSandbox(plan, (n) => observed.get(n)!);
    assert.ok(problems.some((p) => p.includes("default via 203.0.113.5") && p.includes("not created by imds-lab")));
    assert.ok(problems.some((p) => p.includes("tun0") && p.includes("leaves")));
    assert.ok(problems.some((p) => p.includes("fd00:ec2::254 via 2001:db8:0:2::1 dev eth0 is missing")));
  });
});
