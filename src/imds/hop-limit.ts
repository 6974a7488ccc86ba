import type { IncomingMessage, ServerResponse } from "node:http";
import { BlockList, isIPv4, isIPv6 } from "node:net";
import { socketFd, type IpTtl } from "./ip-ttl.ts";

export type HopLimitMode = "auto" | "ttl" | "simulate" | "off";

/**
 * Enforces HttpPutResponseHopLimit on the token PUT answer (docs/behaviour.md#hop-limit). EC2 sends that
 * answer with IP TTL = hop limit, so a caller more routed hops away never receives it.
 */
export interface HopLimitEnforcer {
  /** Which mechanisms are in force, for the ready line and docs: "ttl", "simulate", "ttl+simulate", "off". */
  readonly description: string;
  /**
   * Called before any answer to PUT /latest/api/token. False: withhold the answer (the caller is
   * farther than the limit); the connection is then held silently, never answered with an error.
   */
  admitTokenResponse(req: IncomingMessage, res: ServerResponse, hopLimit: number): boolean;
}

export class HopLimitConfigError extends Error {}

/** A source network and its distance in routed hops ("172.17.0.0/16=2"). */
export interface SimulatedNetwork {
  readonly address: string;
  readonly prefix: number;
  readonly family: "ipv4" | "ipv6";
  readonly hops: number;
}

/** Parses "CIDR=hops,..." (a bare address is a /32 or /128). */
export function parseSimulatedNetworks(text: string | undefined): SimulatedNetwork[] {
  if (text === undefined || text.trim() === "") return [];
  return text.split(",").map((item) => {
    const match = /^\s*([^/=\s]+)(?:\/(\d{1,3}))?\s*=\s*(\d{1,3})\s*$/.exec(item);
    const address = match?.[1] ?? "";
    const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : null;
    const max = family === "ipv4" ? 32 : 128;
    const prefix = match?.[2] === undefined ? max : Number(match[2]);
    const hops = Number(match?.[3]);
    if (match === null || family === null || prefix > max || !(hops >= 1 && hops <= 255)) {
      throw new HopLimitConfigError(`simulated network ${JSON.stringify(item.trim())} is not CIDR=hops (e.g. 172.17.0.0/16=2, hops 1..255)`);
    }
    return { address, prefix, family, hops };
  });
}

/** Sources not in a listed network are on the instance itself: distance 1. */
export function hopDistanceLookup(networks: readonly SimulatedNetwork[]): (address: string | undefined) => number {
  // The most specific network wins, as a routing table would choose.
  const lists = [...networks]
    .sort((a, b) => b.prefix - a.prefix)
    .map((n) => {
      const list = new BlockList();
      list.addSubnet(n.address, n.prefix, n.family);
      return { list, family: n.family, hops: n.hops };
    });
  return (raw) => {
    if (raw === undefined) return 1;
    const address = raw.startsWith("::ffff:") && isIPv4(raw.slice(7)) ? raw.slice(7) : raw;
    const family = isIPv4(address) ? "ipv4" : "ipv6";
    for (const n of lists) if (n.family === family && n.list.check(address, family)) return n.hops;
    return 1;
  };
}

/**
 * ttl: the real socket option (needs the native addon); simulate: the caller's hop distance from
 * its source network; auto: the real TTL where the addon loaded, plus the simulation for any
 * configured networks; off: the limit is stored and shown, not enforced.
 */
export function createHopLimitEnforcer(options: { mode: HopLimitMode; simulatedNetworks?: string | undefined; ipTtl: IpTtl | null }): HopLimitEnforcer {
  const { mode, ipTtl } = options;
  const networks = parseSimulatedNetworks(options.simulatedNetworks);
  if (mode === "ttl" && ipTtl === null) {
    throw new HopLimitConfigError("--hop-limit-mode ttl needs the ip-ttl addon (native/ip-ttl, built by npm ci); use auto or simulate");
  }
  const useTtl = (mode === "ttl" || mode === "auto") && ipTtl !== null;
  const useSimulation = mode === "simulate" || (mode === "auto" && (networks.length > 0 || ipTtl === null));
  const distance = hopDistanceLookup(networks);
  const parts = [useTtl ? "ttl" : null, useSimulation ? "simulate" : null].filter((p) => p !== null);
  return {
    description: parts.length === 0 ? "off" : parts.join("+"),
    admitTokenResponse(req, res, hopLimit) {
      if (useSimulation && distance(req.socket.remoteAddress) > hopLimit) return false;
      if (useTtl) {
        const fd = socketFd(req.socket);
        if (fd !== null) {
          try {
            ipTtl!.setTtl(fd, hopLimit);
          } catch {
            // The peer already went away: nothing is left to limit.
          }
        }
        // Later GETs must leave with the default TTL (they are not limited on EC2), so this
        // connection ends with the answer; EC2 closes every connection anyway.
        res.shouldKeepAlive = false;
      }
      return true;
    },
  };
}

/** No answer, ever: the caller sees a timeout as behind a TTL-expiring router. Bounded so a caller that never gives up cannot pin a socket forever. */
export const HOLD_LIMIT_MS = 600_000;

export function holdSilently(req: IncomingMessage): void {
  const socket = req.socket;
  socket.setTimeout(HOLD_LIMIT_MS, () => socket.destroy());
}
