/**
 * How many network hops a caller sits from the instance, as far as its address tells. EC2 sets the
 * IP TTL of the token PUT's response to HttpPutResponseHopLimit (docs/behaviour.md#hop-limit): a process on
 * the instance needs 1, a bridged container (docker0, a pod network) one more per bridge.
 */

export interface SimulatedNetwork {
  readonly cidr: string;
  /** The hop limit a caller in this network needs (the distance `simulate` mode enforces). */
  readonly hops: number;
}

export interface HopEstimate {
  /** The smallest HttpPutResponseHopLimit with which this caller still receives a token. */
  readonly requiredHopLimit: number;
  /** Why: data for the report, e.g. "loopback", "simulated network 172.17.0.0/16". */
  readonly evidence: "same-host" | "simulated-network" | "remote-address";
  readonly detail: string;
}

/** One bridge is the common case (Docker's default network, an EKS pod network). */
export const ASSUMED_REMOTE_HOP_LIMIT = 2;

interface ParsedCidr {
  readonly family: 4 | 6;
  readonly base: bigint;
  readonly prefix: number;
}

/** "172.17.0.0/16=2,10.0.0.0/8=3" (the serve flag --simulated-networks) -> networks; bad entries are skipped. */
export function parseSimulatedNetworks(text: string | undefined): SimulatedNetwork[] {
  if (text === undefined) return [];
  const out: SimulatedNetwork[] = [];
  for (const entry of text.split(",")) {
    const [cidr, hops] = entry.trim().split("=");
    if (cidr === undefined || hops === undefined || parseCidr(cidr) === null || !/^\d+$/.test(hops)) continue;
    out.push({ cidr, hops: Number(hops) });
  }
  return out;
}

export function estimateHopLimit(args: {
  readonly remoteAddress: string;
  readonly localAddresses: readonly string[];
  readonly simulatedNetworks: readonly SimulatedNetwork[];
}): HopEstimate {
  const address = unmapIpv4(args.remoteAddress);
  if (isLoopback(address) || args.localAddresses.some((a) => unmapIpv4(a) === address)) {
    return { requiredHopLimit: 1, evidence: "same-host", detail: `${address} is an address of this host` };
  }
  for (const network of args.simulatedNetworks) {
    if (cidrContains(network.cidr, address)) {
      return { requiredHopLimit: Math.max(1, network.hops), evidence: "simulated-network", detail: `${address} is in ${network.cidr} (${network.hops} hops)` };
    }
  }
  return {
    requiredHopLimit: ASSUMED_REMOTE_HOP_LIMIT,
    evidence: "remote-address",
    detail: `${address} is not an address of this host: at least one bridge or router in between`,
  };
}

export function isLoopback(address: string): boolean {
  const a = unmapIpv4(address);
  return a === "::1" || /^127\.\d+\.\d+\.\d+$/.test(a);
}

/** node reports IPv4 peers of a dual-stack listener as ::ffff:a.b.c.d. */
export function unmapIpv4(address: string): string {
  return address.toLowerCase().startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

export function cidrContains(cidr: string, address: string): boolean {
  const network = parseCidr(cidr);
  const ip = parseIp(unmapIpv4(address));
  if (network === null || ip === null || ip.family !== network.family) return false;
  const bits = network.family === 4 ? 32 : 128;
  const shift = BigInt(bits - network.prefix);
  return ip.value >> shift === network.base >> shift;
}

function parseCidr(text: string): ParsedCidr | null {
  const [addr, prefixText] = text.split("/");
  const ip = addr === undefined ? null : parseIp(addr);
  if (ip === null) return null;
  const max = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { family: ip.family, base: ip.value, prefix };
}

export function parseIp(text: string): { family: 4 | 6; value: bigint } | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4 !== null) {
    const parts = v4.slice(1).map(Number);
    if (parts.some((p) => p > 255)) return null;
    return { family: 4, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] === "" ? [] : halves[0]!.split(":");
  const tail = halves.length === 2 && halves[1] !== "" ? halves[1]!.split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    value = (value << 16n) | BigInt(parseInt(group, 16));
  }
  return { family: 6, value };
}
