import { spawnSync } from "node:child_process";
import type { PlannedNamespace, SandboxPlan } from "./sandbox-plan.ts";
import { withPrefix } from "./sandbox-privilege.ts";

/**
 * The safety check `imds-lab run` makes before COMMAND starts: every namespace of the chain holds
 * exactly the devices and routes imds-lab created. Every device is lo or a veth whose peer sits in
 * another namespace of the chain, and every route of every table goes over such a device, so no
 * packet, whatever its address, can leave the chain, and 169.254.169.254 is the emulator only.
 */

export interface ObservedLink {
  readonly ifname: string;
  readonly kind: string | null;
  /** For a veth: the name of the namespace its peer is in, "" when the peer is in an unnamed one. */
  readonly peerNamespace: string | null;
}

export interface ObservedRoute {
  readonly type: string;
  readonly dst: string;
  readonly dev: string | null;
  readonly gateway: string | null;
  readonly table: string;
  readonly protocol: string | null;
}

export interface ObservedNamespace {
  readonly links: readonly ObservedLink[];
  readonly routes: readonly ObservedRoute[];
}

const KERNEL_ROUTE_TYPES = new Set(["local", "broadcast", "multicast", "anycast"]);

/** What is wrong in one namespace; empty when it is exactly as planned. */
export function namespaceProblems(plan: SandboxPlan, ns: PlannedNamespace, observed: ObservedNamespace): string[] {
  const problems: string[] = [];
  const chain = new Set(plan.namespaces.map((n) => n.name));
  const allowed = new Set(["lo", ...ns.devices]);
  const seen = new Set<string>();
  for (const link of observed.links) {
    seen.add(link.ifname);
    if (!allowed.has(link.ifname)) {
      problems.push(`${ns.name}: interface ${link.ifname} (${link.kind ?? "physical"}) was not created by imds-lab`);
    } else if (link.ifname !== "lo") {
      if (link.kind !== "veth") problems.push(`${ns.name}: ${link.ifname} is ${link.kind ?? "not a veth"}`);
      else if (link.peerNamespace === null || !chain.has(link.peerNamespace) || link.peerNamespace === ns.name) {
        problems.push(`${ns.name}: the peer of ${link.ifname} is outside the sandbox (${link.peerNamespace || "an unnamed namespace"})`);
      }
    }
  }
  for (const dev of allowed) if (!seen.has(dev)) problems.push(`${ns.name}: interface ${dev} is missing`);

  const connected = connectedPrefixes(plan, ns);
  const planned = new Set(ns.routes.map((r) => `${r.dst} via ${r.via} dev ${r.dev}`));
  const present = new Set<string>();
  for (const route of observed.routes) {
    const text = `${route.type} ${route.dst}${route.gateway ? ` via ${route.gateway}` : ""}${route.dev ? ` dev ${route.dev}` : ""} table ${route.table}`;
    if (route.dev === null || !allowed.has(route.dev)) {
      problems.push(`${ns.name}: route ${text} leaves the sandbox's devices`);
      continue;
    }
    if (route.table === "local" && KERNEL_ROUTE_TYPES.has(route.type) && route.protocol === "kernel") continue;
    if (route.table === "main" && route.type === "unicast") {
      if (route.gateway === null && route.protocol === "kernel" && connected.has(`${route.dst} dev ${route.dev}`)) continue;
      if (route.gateway === null && route.protocol === "kernel" && route.dst === "fe80::/64" && route.dev !== "lo") continue;
      const key = `${route.dst} via ${route.gateway} dev ${route.dev}`;
      if (planned.has(key)) {
        present.add(key);
        continue;
      }
    }
    problems.push(`${ns.name}: route ${text} was not created by imds-lab`);
  }
  for (const key of planned) if (!present.has(key)) problems.push(`${ns.name}: route ${key} is missing`);
  return problems;
}

/** The routes the kernel adds for the plan's addresses: each link's prefix, and the IPv6 IMDS address on lo. */
function connectedPrefixes(plan: SandboxPlan, ns: PlannedNamespace): Set<string> {
  const out = new Set<string>();
  const up = plan.links[ns.index - 1];
  const down = plan.links[ns.index];
  if (up !== undefined) out.add(`${up.v4Prefix} dev eth0`).add(`${up.v6Prefix} dev eth0`);
  if (down !== undefined && ns.index < plan.hops) out.add(`${down.v4Prefix} dev down0`).add(`${down.v6Prefix} dev down0`);
  for (const a of ns.addresses) if (a.dev === "lo" && a.cidr.endsWith("/128")) out.add(`${a.cidr.slice(0, -4)} dev lo`);
  return out;
}

function ipJson(prefix: readonly string[], args: readonly string[]): unknown[] {
  const [file, argv] = withPrefix(prefix, ["ip", ...args]);
  const result = spawnSync(file, argv, { encoding: "utf8", timeout: 10_000 });
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")}: ${(result.stderr || result.error?.message || "").trim()}`);
  const text = result.stdout.trim();
  return text === "" ? [] : (JSON.parse(text) as unknown[]);
}

type Json = Record<string, unknown>;

/** Reads one namespace's devices (with each veth's peer namespace) and all its routes, both families, every table. */
export function observeNamespace(name: string, prefix: readonly string[] = []): ObservedNamespace {
  const ids = new Map<number, string>();
  for (const entry of ipJson(prefix, ["-n", name, "-j", "netns", "list-id"]) as Json[]) ids.set(Number(entry.nsid), String(entry.name ?? ""));
  const links = (ipJson(prefix, ["-n", name, "-j", "-d", "link", "show"]) as Json[]).map((l): ObservedLink => {
    const kind = ((l.linkinfo as Json | undefined)?.info_kind as string | undefined) ?? null;
    const nsid = l.link_netnsid;
    return { ifname: String(l.ifname), kind, peerNamespace: kind !== "veth" ? null : typeof nsid === "number" ? (ids.get(nsid) ?? "") : null };
  });
  const routes = ["-4", "-6"].flatMap((family) =>
    (ipJson(prefix, ["-n", name, "-j", family, "route", "show", "table", "all"]) as Json[]).map(
      (r): ObservedRoute => ({
        type: typeof r.type === "string" ? r.type : "unicast",
        dst: String(r.dst),
        dev: typeof r.dev === "string" ? r.dev : null,
        gateway: typeof r.gateway === "string" ? r.gateway : null,
        table: typeof r.table === "string" ? r.table : "main",
        protocol: typeof r.protocol === "string" ? r.protocol : null,
      }),
    ),
  );
  return { links, routes };
}

/** Every problem in every namespace of the chain; empty means COMMAND may start. */
export function checkSandbox(plan: SandboxPlan, observe: (name: string) => ObservedNamespace = observeNamespace): string[] {
  return plan.namespaces.flatMap((ns) => namespaceProblems(plan, ns, observe(ns.name)));
}
