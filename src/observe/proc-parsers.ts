/**
 * Parsers for the Linux /proc files caller attribution reads: pure functions over their text, so
 * they are tested without a Linux host. Formats: proc(5), and net/ipv4/tcp_ipv4.c (`/proc/net/tcp`
 * prints each address as the kernel's __be32 words with %08X, i.e. byte-swapped on little-endian,
 * then the port with %04X).
 */
import type { ContainerIdentity } from "../domain/migration/caller-observation.ts";
import { parseIp, unmapIpv4 } from "../domain/migration/network-distance.ts";

/** The client's socket as /proc/net/tcp{,6} lists it. */
export interface TcpSocket {
  readonly uid: number;
  /** 0 for sockets no process holds any more (TIME_WAIT). */
  readonly inode: number;
}

/**
 * "127.0.0.1", 8080 -> "0100007F:1F90" as the kernel prints it (family 4), or the 32-digit form
 * of /proc/net/tcp6 (family 6; an IPv4 address becomes ::ffff:a.b.c.d, as a dual-stack socket has it).
 */
export function encodeEndpoint(address: string, port: number, family: 4 | 6, littleEndian: boolean): string | null {
  const bytes = addressBytes(unmapIpv4(address), family);
  if (bytes === null) return null;
  let hex = "";
  for (let w = 0; w < bytes.length; w += 4) {
    const word = bytes.slice(w, w + 4);
    for (const b of littleEndian ? word.reverse() : word) hex += b.toString(16).toUpperCase().padStart(2, "0");
  }
  return `${hex}:${port.toString(16).toUpperCase().padStart(4, "0")}`;
}

function addressBytes(address: string, family: 4 | 6): number[] | null {
  const ip = parseIp(address);
  if (ip === null) return null;
  if (family === 4 && ip.family !== 4) return null;
  const value = family === 6 && ip.family === 4 ? (0xffffn << 32n) | ip.value : ip.value;
  const length = family === 4 ? 4 : 16;
  return Array.from({ length }, (_, i) => Number((value >> BigInt(8 * (length - 1 - i))) & 0xffn));
}

/**
 * The client's end of a connection: the row whose local address is the request's remote end and
 * whose remote address is our server socket. A text search for the two printed addresses, so a
 * table of many thousand sockets (a busy host) is not parsed row by row.
 */
export function findClientSocket(
  tables: { readonly tcp: string | null; readonly tcp6: string | null },
  client: { address: string; port: number },
  server: { address: string; port: number },
  littleEndian: boolean,
): TcpSocket | undefined {
  for (const family of [4, 6] as const) {
    const text = family === 4 ? tables.tcp : tables.tcp6;
    const local = encodeEndpoint(client.address, client.port, family, littleEndian);
    const remote = encodeEndpoint(server.address, server.port, family, littleEndian);
    if (text === null || local === null || remote === null) continue;
    const at = text.indexOf(` ${local} ${remote} `);
    if (at === -1) continue;
    const end = text.indexOf("\n", at);
    const fields = text.slice(at, end === -1 ? undefined : end).trim().split(/\s+/);
    // local remote st tx:rx tr:when retrnsmt uid timeout inode
    return { uid: Number(fields[6]), inode: Number(fields[8]) };
  }
  return undefined;
}

export interface ProcStat {
  readonly pid: number;
  readonly comm: string;
  readonly ppid: number;
  readonly startTime: number;
}

/** /proc/<pid>/stat: the command name sits in parentheses and may itself hold spaces or ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open === -1 || close < open) return null;
  const rest = text.slice(close + 2).split(" ");
  // rest[0] is field 3 (state): ppid is field 4, starttime field 22.
  const ppid = Number(rest[1]);
  const startTime = Number(rest[19]);
  if (!Number.isFinite(ppid) || !Number.isFinite(startTime)) return null;
  return { pid: Number(text.slice(0, open).trim()), comm: text.slice(open + 1, close), ppid, startTime };
}

/** /proc/<pid>/cmdline: NUL-separated argv (a trailing NUL ends the last one). */
export function parseCmdline(text: string): string[] {
  const parts = text.split("\0");
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** The real uid from /proc/<pid>/status ("Uid:\treal\teffective\t..."). */
export function parseStatusUid(text: string): number | undefined {
  const match = /^Uid:\s+(\d+)/m.exec(text);
  return match === null ? undefined : Number(match[1]);
}

const HEX_ID = "([0-9a-f]{12,64})";
const CGROUP_PATTERNS: ReadonlyArray<readonly [RegExp, ContainerIdentity["runtime"]]> = [
  [new RegExp(`cri-containerd-${HEX_ID}\\.scope`), "containerd"],
  [new RegExp(`crio-${HEX_ID}\\.scope`), "cri-o"],
  [new RegExp(`libpod-${HEX_ID}\\.scope`), "podman"],
  [new RegExp(`docker-${HEX_ID}\\.scope`), "docker"],
  [new RegExp(`/docker/${HEX_ID}(?:/|$)`), "docker"],
  [new RegExp(`/kubepods[^\\n]*/${HEX_ID}(?:/|$)`), "kubernetes"],
];

/** The container a process runs in, from its /proc/<pid>/cgroup (v1 or v2), if any. */
export function parseCgroupContainer(text: string): ContainerIdentity | undefined {
  const paths = text
    .split("\n")
    .map((line) => line.split(":").slice(2).join(":"))
    .filter((p) => p.length > 0);
  const podMatch = paths.map((p) => /kubepods[^\n]*?pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})/.exec(p)).find((m) => m !== null);
  const podUid = podMatch?.[1]?.replace(/_/g, "-");
  for (const path of paths) {
    for (const [pattern, runtime] of CGROUP_PATTERNS) {
      const match = pattern.exec(path);
      if (match === null) continue;
      return { runtime: podUid !== undefined ? "kubernetes" : runtime, id: match[1]!, ...(podUid !== undefined ? { podUid } : {}) };
    }
    const lxc = /(?:^|\/)lxc(?:\.payload)?[./]([^/]+)/.exec(path);
    if (lxc !== null) return { runtime: "lxc", id: lxc[1]! };
    const nspawn = /machine-([^/]+)\.scope/.exec(path);
    if (nspawn !== null) return { runtime: "systemd-nspawn", id: nspawn[1]!.replace(/\\x2d/g, "-") };
  }
  return undefined;
}
