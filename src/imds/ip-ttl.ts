import { createRequire } from "node:module";
import type { Socket } from "node:net";

/** The native socket option EC2's hop limit rests on: IP_TTL (IPv4) / IPV6_UNICAST_HOPS (IPv6). */
export interface IpTtl {
  setTtl(fd: number, ttl: number): void;
  getTtl(fd: number): number;
  /** Accepts the connections waiting in a listen queue (src/imds/accept-queue.ts); absent from older builds. */
  acceptPending?(listenFd: number, max: number): number[];
  /** Raises the soft limit on open descriptors to the hard one; -1 means unlimited. Absent from older builds. */
  raiseFileLimit?(): { soft: number; hard: number };
}

/** Built by `npm ci` (native/build.mjs); the same relative path works from src/imds and dist/imds. */
const ADDON_PATH = "../../native/ip-ttl/build/Release/ip_ttl.node";

/** The addon, or null where it was not built (no compiler, not Linux): callers fall back to simulation. */
export function loadIpTtl(path: string = ADDON_PATH): IpTtl | null {
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<IpTtl>;
    return typeof addon.setTtl === "function" && typeof addon.getTtl === "function" ? (addon as IpTtl) : null;
  } catch {
    return null;
  }
}

/** The OS descriptor behind a TCP socket (libuv exposes it on Unix), or null when there is none. */
export function socketFd(socket: Socket): number | null {
  const fd = (socket as Socket & { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === "number" && fd >= 0 ? fd : null;
}
