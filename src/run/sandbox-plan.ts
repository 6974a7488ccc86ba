/**
 * The network `imds-lab run` builds, as data: a chain of network namespaces joined by veth pairs,
 *
 *   [ns 0: IMDS 169.254.169.254, fd00:ec2::254] --link 1-- [ns 1] --link 2-- ... [ns N: COMMAND]
 *
 * Namespace 0 plays the IMDS, namespace N runs COMMAND, and every namespace between them is a
 * router, as an instance is for a container on its bridge. A token answer sent with IP TTL = hop
 * limit therefore reaches COMMAND only when the hop limit is at least N (docs/run.md).
 *
 * Links use the documentation ranges (RFC 5737 203.0.113.0/24 split into /30s, RFC 3849
 * 2001:db8::/32), which exist only inside these namespaces. No namespace has a default route:
 * COMMAND's namespace knows the metadata addresses and its own link, nothing else.
 */

export const IMDS_IPV4 = "169.254.169.254";
export const IMDS_IPV6 = "fd00:ec2::254";
export const IMDS_PORT = 80;
/** HttpPutResponseHopLimit's range on EC2 is 1..64; 203.0.113.0/24 holds exactly 64 /30 links. */
export const MAX_HOPS = 64;
export const NAMESPACE_PREFIX = "imdslab-run-";
/** The device towards the IMDS in namespaces 1..N, and the one away from it in 0..N-1. */
export const UPSTREAM_DEVICE = "eth0";
export const DOWNSTREAM_DEVICE = "down0";

export interface PlannedRoute {
  readonly family: 4 | 6;
  /** As `ip -j route` prints it: a host route without its /32 or /128. */
  readonly dst: string;
  readonly via?: string;
  readonly dev: string;
}

export interface PlannedAddress {
  readonly dev: string;
  /** CIDR, e.g. 203.0.113.2/30. */
  readonly cidr: string;
}

export interface PlannedNamespace {
  readonly name: string;
  /** 0: the IMDS; N: COMMAND's. */
  readonly index: number;
  /** veth devices besides lo, in creation order. */
  readonly devices: readonly string[];
  readonly addresses: readonly PlannedAddress[];
  /** Static routes imds-lab adds (the kernel adds the connected ones). */
  readonly routes: readonly PlannedRoute[];
  readonly forwards: boolean;
}

export interface PlannedLink {
  /** Link k joins namespace k-1 (its DOWNSTREAM_DEVICE) and namespace k (its UPSTREAM_DEVICE). */
  readonly index: number;
  readonly upper: { readonly v4: string; readonly v6: string };
  readonly lower: { readonly v4: string; readonly v6: string };
  readonly v4Prefix: string;
  readonly v6Prefix: string;
}

export interface SandboxPlan {
  readonly hops: number;
  readonly namespaces: readonly PlannedNamespace[];
  readonly links: readonly PlannedLink[];
  /** COMMAND's own addresses: what the IMDS sees as the caller's source address. */
  readonly callerV4: string;
  readonly callerV6: string;
  readonly imdsNamespace: string;
  readonly commandNamespace: string;
}

export function namespaceName(ownerPid: number, index: number): string {
  return `${NAMESPACE_PREFIX}${ownerPid}-${index}`;
}

/** The pid that created a namespace named by `namespaceName`, or null for any other name. */
export function namespaceOwner(name: string): number | null {
  const match = /^imdslab-run-(\d+)-\d+$/.exec(name);
  return match === null ? null : Number(match[1]);
}

function link(index: number): PlannedLink {
  const base = 4 * (index - 1);
  return {
    index,
    upper: { v4: `203.0.113.${base + 1}`, v6: `2001:db8:0:${index.toString(16)}::1` },
    lower: { v4: `203.0.113.${base + 2}`, v6: `2001:db8:0:${index.toString(16)}::2` },
    v4Prefix: `203.0.113.${base}/30`,
    v6Prefix: `2001:db8:0:${index.toString(16)}::/64`,
  };
}

export function planSandbox(hops: number, ownerPid: number): SandboxPlan {
  if (!Number.isInteger(hops) || hops < 1 || hops > MAX_HOPS) throw new RangeError(`hops must be 1..${MAX_HOPS}`);
  const links = Array.from({ length: hops }, (_, i) => link(i + 1));
  const last = links[hops - 1]!;
  const namespaces: PlannedNamespace[] = [];
  for (let index = 0; index <= hops; index++) {
    const up = index > 0 ? links[index - 1]! : undefined;
    const down = index < hops ? links[index]! : undefined;
    const devices = [...(up ? [UPSTREAM_DEVICE] : []), ...(down ? [DOWNSTREAM_DEVICE] : [])];
    const addresses: PlannedAddress[] = [];
    if (index === 0) addresses.push({ dev: "lo", cidr: `${IMDS_IPV4}/32` }, { dev: "lo", cidr: `${IMDS_IPV6}/128` });
    if (up) addresses.push({ dev: UPSTREAM_DEVICE, cidr: `${up.lower.v4}/30` }, { dev: UPSTREAM_DEVICE, cidr: `${up.lower.v6}/64` });
    if (down) addresses.push({ dev: DOWNSTREAM_DEVICE, cidr: `${down.upper.v4}/30` }, { dev: DOWNSTREAM_DEVICE, cidr: `${down.upper.v6}/64` });
    const routes: PlannedRoute[] = [];
    if (up) {
      routes.push({ family: 4, dst: IMDS_IPV4, via: up.upper.v4, dev: UPSTREAM_DEVICE }, { family: 6, dst: IMDS_IPV6, via: up.upper.v6, dev: UPSTREAM_DEVICE });
    }
    // Answers to COMMAND go down the chain; COMMAND's link is the only one beyond the next.
    if (down && down.index < hops) {
      routes.push({ family: 4, dst: last.v4Prefix, via: down.lower.v4, dev: DOWNSTREAM_DEVICE }, { family: 6, dst: last.v6Prefix, via: down.lower.v6, dev: DOWNSTREAM_DEVICE });
    }
    namespaces.push({ name: namespaceName(ownerPid, index), index, devices, addresses, routes, forwards: up !== undefined && down !== undefined });
  }
  return {
    hops,
    namespaces,
    links,
    callerV4: last.lower.v4,
    callerV6: last.lower.v6,
    imdsNamespace: namespaces[0]!.name,
    commandNamespace: namespaces[hops]!.name,
  };
}
