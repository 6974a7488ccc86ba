import { createRequire } from "node:module";
import { isIP } from "node:net";
import { unmapIpv4 } from "../domain/migration/network-distance.ts";
import type { ProcessSnapshot } from "./process-snapshot.ts";

/** The kernel's record of one TCP socket: its inode (the `socket:[inode]` fd link) and the creator's uid. */
export interface KernelSocket {
  readonly inode: number;
  readonly uid: number;
}

/** A socket with the process holding it and that process's parents, read in one pass (null processes: none found). */
export interface KernelSocketOwner extends KernelSocket {
  readonly processes: readonly ProcessSnapshot[];
}

/** The native netlink sock_diag lookup (native/sock-diag); runs on libuv's thread pool. */
export interface SockDiag {
  findTcpSocket(family: 4 | 6, local: Buffer, localPort: number, remote: Buffer, remotePort: number): Promise<KernelSocket | null>;
  /** The same, then the socket's process through /proc/<pid>/fd (hinted pids first), in the same thread-pool job. */
  findTcpSocketOwner(family: 4 | 6, local: Buffer, localPort: number, remote: Buffer, remotePort: number, hintPids: Int32Array, maxParents: number): Promise<KernelSocketOwner | null>;
}

/** Built by `npm ci` (native/build.mjs); the same relative path works from src/observe and dist/observe. */
const ADDON_PATH = "../../native/sock-diag/build/Release/sock_diag.node";

/** The addon, or null where it was not built (no compiler, not Linux): attribution then reads /proc/net/tcp. */
export function loadSockDiag(path: string = ADDON_PATH): SockDiag | null {
  try {
    const addon = createRequire(import.meta.url)(path) as Partial<SockDiag>;
    return typeof addon.findTcpSocket === "function" && typeof addon.findTcpSocketOwner === "function" ? (addon as SockDiag) : null;
  } catch {
    return null;
  }
}

/** An address in network byte order, or null when it is not an IP address. */
function addressBytes(address: string): { family: 4 | 6; bytes: Buffer } | null {
  const plain = unmapIpv4(address);
  const family = isIP(plain);
  if (family === 4) return { family, bytes: Buffer.from(plain.split(".").map(Number)) };
  if (family !== 6) return null;
  const [head = "", tail = ""] = plain.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = plain.includes("::") ? groups(tail) : [];
  const middle = new Array<string>(8 - left.length - right.length).fill("0");
  const bytes = Buffer.alloc(16);
  [...left, ...middle, ...right].forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), i * 2));
  return { family: 6, bytes };
}

/**
 * The client socket of a connection we accepted, and the process holding it: the socket's own end
 * is our peer (remote) address and port, its peer our local ones. Null when the kernel has no such
 * socket in this network namespace.
 */
export function findClientSocketOwner(
  diag: SockDiag,
  connection: { readonly remoteAddress: string; readonly remotePort: number; readonly localAddress: string; readonly localPort: number },
  hintPids: readonly number[],
  maxParents: number,
): Promise<KernelSocketOwner | null> {
  const client = addressBytes(connection.remoteAddress);
  const server = addressBytes(connection.localAddress);
  if (client === null || server === null || client.family !== server.family) return Promise.resolve(null);
  return diag.findTcpSocketOwner(client.family, client.bytes, connection.remotePort, server.bytes, connection.localPort, Int32Array.from(hintPids), maxParents);
}
