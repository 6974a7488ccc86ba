import { spawnSync } from "node:child_process";
import { namespaceOwner, type SandboxPlan } from "./sandbox-plan.ts";
import { withPrefix } from "./sandbox-privilege.ts";

/** `ip` failed: the message carries the command and iproute2's own words. */
export class SandboxError extends Error {}

const IP_TIMEOUT_MS = 10_000;

/** `ip …`, run through the privilege's prefix (src/run/sandbox-privilege.ts). */
function ipRun(prefix: readonly string[], args: readonly string[], input?: string) {
  const [file, argv] = withPrefix(prefix, ["ip", ...args]);
  return spawnSync(file, argv, { encoding: "utf8", timeout: IP_TIMEOUT_MS, input });
}

function ip(prefix: readonly string[], args: readonly string[], input?: string): string {
  const result = ipRun(prefix, args, input);
  if (result.error !== undefined) throw new SandboxError(`ip ${args.join(" ")}: ${result.error.message}`);
  if (result.status !== 0) throw new SandboxError(`ip ${args.join(" ")}: ${(result.stderr || "").trim()}`);
  return result.stdout;
}

/**
 * Creates every namespace, veth pair, address and route of the plan. Each veth pair is created
 * inside one of the plan's namespaces with its peer in the next, so no device ever exists in the
 * namespace imds-lab itself runs in. On failure whatever was made is removed again.
 */
export function createSandboxNetwork(plan: SandboxPlan, prefix: readonly string[] = []): void {
  const created: string[] = [];
  try {
    for (const ns of plan.namespaces) {
      ip(prefix, ["netns", "add", ns.name]);
      created.push(ns.name);
    }
    for (const link of plan.links) {
      const upper = plan.namespaces[link.index - 1]!;
      const lower = plan.namespaces[link.index]!;
      ip(prefix, ["-n", upper.name, "link", "add", "down0", "type", "veth", "peer", "name", "eth0", "netns", lower.name]);
    }
    for (const ns of plan.namespaces) {
      const lines = ["link set lo up"];
      for (const a of ns.addresses) lines.push(`address add ${a.cidr} dev ${a.dev}${a.cidr.includes(":") ? " nodad" : ""}`);
      for (const dev of ns.devices) lines.push(`link set ${dev} up`);
      ip(prefix, ["-n", ns.name, "-batch", "-"], `${lines.join("\n")}\n`);
      if (ns.forwards) {
        const sysctl = ipRun(prefix, ["netns", "exec", ns.name, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]);
        if (sysctl.status !== 0) throw new SandboxError(`enabling forwarding in ${ns.name}: ${(sysctl.stderr || sysctl.error?.message || "").trim()}`);
      }
    }
    // Routes last: their gateways must already be on a configured link.
    for (const ns of plan.namespaces) {
      if (ns.routes.length === 0) continue;
      const lines = ns.routes.map((r) => `route add ${r.dst} via ${r.via} dev ${r.dev}`);
      ip(prefix, ["-n", ns.name, "-batch", "-"], `${lines.join("\n")}\n`);
    }
  } catch (err) {
    removeNamespaces(created, prefix);
    throw err;
  }
}

/** Ends every process still inside the namespaces (COMMAND's leftovers), then deletes them. */
export function removeNamespaces(names: readonly string[], prefix: readonly string[] = []): void {
  for (const name of names) {
    const pids = ipRun(prefix, ["netns", "pids", name]);
    for (const pid of (pids.stdout ?? "").split(/\s+/).filter((p) => /^\d+$/.test(p))) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  // Deleting a namespace deletes the veth ends inside it, and with them their peers.
  for (const name of [...names].reverse()) ipRun(prefix, ["netns", "del", name]);
}

export function removeSandboxNetwork(plan: SandboxPlan, prefix: readonly string[] = []): void {
  removeNamespaces(plan.namespaces.map((ns) => ns.name), prefix);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Namespaces left by an `imds-lab run` that was killed (SIGKILL leaves no time to clean up):
 * their name carries the creating pid, and a namespace whose creator is gone is removed.
 */
export function removeStaleNamespaces(): string[] {
  const listed = spawnSync("ip", ["-j", "netns", "list"], { encoding: "utf8", timeout: IP_TIMEOUT_MS });
  if (listed.status !== 0 || listed.stdout.trim() === "") return [];
  let entries: Array<{ name?: string }>;
  try {
    entries = JSON.parse(listed.stdout) as Array<{ name?: string }>;
  } catch {
    return [];
  }
  const stale = entries
    .map((e) => e.name ?? "")
    .filter((name) => {
      const owner = namespaceOwner(name);
      return owner !== null && owner !== process.pid && !alive(owner);
    });
  removeNamespaces(stale);
  return stale;
}
