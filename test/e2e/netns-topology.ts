/**
 * A three-namespace network built for one test run and removed after it:
 *
 *   [imds 192.0.2.1] --veth-- [router 192.0.2.254 | 198.51.100.1] --veth-- [client 198.51.100.2]
 *
 * The client is one routed hop from the IMDS, as a container on a bridge is on EC2. Addresses come
 * from the documentation ranges (RFC 5737) and exist only inside these namespaces; no namespace
 * has a route out (the router knows its two subnets only), so no packet leaves them.
 */
import { spawnSync } from "node:child_process";

export interface Topology {
  readonly imds: string;
  readonly router: string;
  readonly client: string;
  readonly imdsAddress: "192.0.2.1";
  readonly clientAddress: "198.51.100.2";
  destroy(): void;
}

function ip(args: string[]): void {
  const result = spawnSync("ip", args, { encoding: "utf8", timeout: 10_000 });
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")} failed: ${result.stderr || result.error?.message}`);
}

/** Null when this machine cannot create namespaces (not root, no iproute2, no CAP_NET_ADMIN), with the reason. */
export function netnsUnavailable(): string | null {
  if (process.platform !== "linux") return "network namespaces need Linux";
  if (process.getuid?.() !== 0) return "creating network namespaces needs root";
  const probe = `imdslab-probe-${process.pid}`;
  const added = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8", timeout: 10_000 });
  if (added.status !== 0) return `ip netns add failed: ${(added.stderr || added.error?.message || "").trim()}`;
  spawnSync("ip", ["netns", "del", probe], { timeout: 10_000 });
  return null;
}

export function createTopology(suffix = String(process.pid)): Topology {
  const names = { imds: `imdslab-imds-${suffix}`, router: `imdslab-rt-${suffix}`, client: `imdslab-cl-${suffix}` };
  const created: string[] = [];
  const destroy = () => {
    // Deleting a namespace deletes the veth ends inside it, and with them their peers.
    for (const ns of created.splice(0).reverse()) spawnSync("ip", ["netns", "del", ns], { timeout: 10_000 });
  };
  try {
    for (const ns of [names.imds, names.router, names.client]) {
      ip(["netns", "add", ns]);
      created.push(ns);
    }
    // Each pair is created inside a namespace with its peer in another: nothing touches the host's own namespace.
    ip(["-n", names.imds, "link", "add", "eth0", "type", "veth", "peer", "name", "to-imds", "netns", names.router]);
    ip(["-n", names.client, "link", "add", "eth0", "type", "veth", "peer", "name", "to-client", "netns", names.router]);
    ip(["-n", names.imds, "addr", "add", "192.0.2.1/24", "dev", "eth0"]);
    ip(["-n", names.router, "addr", "add", "192.0.2.254/24", "dev", "to-imds"]);
    ip(["-n", names.router, "addr", "add", "198.51.100.1/24", "dev", "to-client"]);
    ip(["-n", names.client, "addr", "add", "198.51.100.2/24", "dev", "eth0"]);
    for (const [ns, dev] of [[names.imds, "eth0"], [names.router, "to-imds"], [names.router, "to-client"], [names.client, "eth0"]] as const) {
      ip(["-n", ns, "link", "set", dev, "up"]);
    }
    for (const ns of created) ip(["-n", ns, "link", "set", "lo", "up"]);
    ip(["-n", names.imds, "route", "add", "198.51.100.0/24", "via", "192.0.2.254"]);
    ip(["-n", names.client, "route", "add", "default", "via", "198.51.100.1"]);
    ip(["netns", "exec", names.router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
  } catch (err) {
    destroy();
    throw err;
  }
  return { ...names, imdsAddress: "192.0.2.1", clientAddress: "198.51.100.2", destroy };
}
