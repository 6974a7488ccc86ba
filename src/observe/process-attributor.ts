/**
 * Which local process holds the other end of an IMDS connection (Linux): the client socket is the
 * row of /proc/net/tcp{,6} whose local address is the request's remote address and whose remote
 * address is our server socket; its inode names a `socket:[inode]` link under some
 * /proc/<pid>/fd. This is what `ss -p` does; the packet analyzer needs eBPF and root for the same.
 * Runs after the response, off the request path; callers usually keep their connection open that
 * long, but one that exits at once may be gone (`socket-gone` / `process-not-found`).
 */
import { readdir, readFile, readlink, stat } from "node:fs/promises";
import { endianness } from "node:os";
import type { AttributionStatus, ProcessIdentity, ProcessSummary } from "../domain/migration/caller-observation.ts";
import { findClientSocket, parseCgroupContainer, parseCmdline, parseProcStat, parseStatusUid } from "./proc-parsers.ts";

export interface ProcReader {
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
  /** The owner of /proc/<pid>: the process's uid. */
  ownerUid(path: string): Promise<number>;
}

export const nodeProcReader: ProcReader = {
  readFile: (path) => readFile(path, "utf8"),
  readdir: (path) => readdir(path),
  readlink: (path) => readlink(path),
  ownerUid: async (path) => (await stat(path)).uid,
};

export interface SocketTarget {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
}

export interface AttributionResult {
  readonly status: AttributionStatus;
  readonly process?: ProcessIdentity;
}

export interface ProcessAttributorOptions {
  readonly procRoot?: string;
  readonly reader?: ProcReader;
  readonly littleEndian?: boolean;
  readonly maxParents?: number;
  /** Recent callers are searched first: a new connection usually comes from a known process. */
  readonly recentPidLimit?: number;
  /**
   * /proc/<pid> of one process in each other network namespace whose callers reach us
   * (`imds-lab run`): a socket shows in the TCP table of its own namespace only, so those
   * namespaces' /proc/<pid>/net/tcp{,6} are searched too. Socket inodes are unique system-wide.
   */
  readonly namespaceProcDirs?: () => readonly string[];
}

export class ProcessAttributor {
  private readonly root: string;
  private readonly reader: ProcReader;
  private readonly littleEndian: boolean;
  private readonly maxParents: number;
  private readonly recentPidLimit: number;
  private readonly recentPids: number[] = [];
  private readonly identities = new Map<number, ProcessIdentity>();
  private readonly namespaceProcDirs: () => readonly string[];
  private highestListedPid = 0;

  constructor(options: ProcessAttributorOptions = {}) {
    this.root = options.procRoot ?? "/proc";
    this.reader = options.reader ?? nodeProcReader;
    this.littleEndian = options.littleEndian ?? endianness() === "LE";
    this.maxParents = options.maxParents ?? 3;
    this.recentPidLimit = options.recentPidLimit ?? 16;
    this.namespaceProcDirs = options.namespaceProcDirs ?? (() => []);
  }

  /** One pass over /proc for a batch of connections; every target gets a result. */
  async attribute(targets: readonly SocketTarget[]): Promise<AttributionResult[]> {
    const [tcp, tcp6] = await Promise.all(["net/tcp", "net/tcp6"].map((f) => this.readTables(f)));
    if (tcp === null && tcp6 === null) return targets.map(() => ({ status: "unsupported" }));
    const sockets = targets.map((t) =>
      findClientSocket({ tcp: tcp ?? null, tcp6: tcp6 ?? null }, { address: t.remoteAddress, port: t.remotePort }, { address: t.localAddress, port: t.localPort }, this.littleEndian),
    );
    const inodes = sockets.map((s) => s?.inode ?? 0);
    const uids = new Set(sockets.filter((s) => s !== undefined && s.inode !== 0).map((s) => s!.uid));
    const owners = await this.findOwners(new Set(inodes.filter((i) => i !== 0)), uids);
    const results: AttributionResult[] = [];
    for (const inode of inodes) {
      if (inode === 0) {
        results.push({ status: "socket-gone" });
        continue;
      }
      const pid = owners.get(inode);
      const identity = pid === undefined ? null : await this.identity(pid);
      if (identity === null) results.push({ status: "process-not-found" });
      else {
        this.remember(identity.pid);
        results.push({ status: "attributed", process: identity });
      }
    }
    return results;
  }

  /**
   * Which pid holds each socket inode. Listing every fd of every process is the expensive part
   * (13 000 readlinks on the development VM), so: recent callers first; then processes of the
   * sockets' uids (the kernel lists the creator's uid beside each socket), newest pid first; then
   * the rest; stop as soon as every inode is found. Pids above the highest one listed last time
   * (processes started since) go before the uid filter: a one-shot caller is nearly always one.
   */
  private async findOwners(wanted: Set<number>, uids: ReadonlySet<number>): Promise<Map<number, number>> {
    const owners = new Map<number, number>();
    if (wanted.size === 0) return owners;
    const scanned = new Set<number>();
    const scan = async (pids: readonly number[]) => {
      for (let i = 0; i < pids.length && owners.size < wanted.size; i += 32) {
        await Promise.all(
          pids.slice(i, i + 32).map(async (pid) => {
            scanned.add(pid);
            for (const inode of await this.socketInodes(pid)) if (wanted.has(inode)) owners.set(inode, pid);
          }),
        );
      }
    };
    await scan([...this.recentPids]);
    if (owners.size < wanted.size) {
      const all = (await this.reader.readdir(this.root).catch(() => [] as string[])).filter((n) => /^\d+$/.test(n)).map(Number);
      const newSince = this.highestListedPid;
      this.highestListedPid = all.reduce((a, b) => Math.max(a, b), 0);
      // The first listing only sets the mark: before it, every pid would count as new.
      if (newSince > 0) await scan(all.filter((pid) => pid > newSince && !scanned.has(pid)).sort((a, b) => b - a));
      const candidates = all.filter((pid) => !scanned.has(pid)).sort((a, b) => b - a);
      if (owners.size >= wanted.size) return owners;
      const owned = await Promise.all(candidates.map((pid) => this.reader.ownerUid(`${this.root}/${pid}`).catch(() => -1)));
      await scan(candidates.filter((_, i) => uids.has(owned[i]!)));
      // A setuid process can own a socket created under another uid: the rest, as a last resort.
      if (owners.size < wanted.size) await scan(candidates.filter((pid) => !scanned.has(pid)));
    }
    return owners;
  }

  /** Our namespace's table, followed by those of the other namespaces (null when none could be read). */
  private async readTables(file: string): Promise<string | null> {
    const dirs = [this.root, ...this.namespaceProcDirs()];
    const texts = await Promise.all(dirs.map((dir) => this.reader.readFile(`${dir}/${file}`).catch(() => null)));
    const found = texts.filter((t) => t !== null);
    return found.length === 0 ? null : found.join("\n");
  }

  private async socketInodes(pid: number): Promise<number[]> {
    const fds = await this.reader.readdir(`${this.root}/${pid}/fd`).catch(() => [] as string[]);
    const links = await Promise.all(fds.map((fd) => this.reader.readlink(`${this.root}/${pid}/fd/${fd}`).catch(() => "")));
    const out: number[] = [];
    for (const link of links) if (link.startsWith("socket:[")) out.push(Number(link.slice(8, -1)));
    return out;
  }

  private async identity(pid: number): Promise<ProcessIdentity | null> {
    const stat = await this.stat(pid);
    if (stat === null) return null;
    const cached = this.identities.get(pid);
    if (cached !== undefined && cached.startTime === stat.startTime) return cached;
    const [command, cgroup, status, exe] = await Promise.all([
      this.reader.readFile(`${this.root}/${pid}/cmdline`).then(parseCmdline, () => [] as string[]),
      this.reader.readFile(`${this.root}/${pid}/cgroup`).catch(() => ""),
      this.reader.readFile(`${this.root}/${pid}/status`).catch(() => ""),
      // Another user's process: the link is unreadable without CAP_SYS_PTRACE, the rest still is.
      this.reader.readlink(`${this.root}/${pid}/exe`).catch(() => undefined),
    ]);
    const parents: ProcessSummary[] = [];
    for (let parent = stat.ppid; parent > 0 && parents.length < this.maxParents; ) {
      const parentStat = await this.stat(parent);
      if (parentStat === null) break;
      const parentCommand = await this.reader.readFile(`${this.root}/${parent}/cmdline`).then(parseCmdline, () => [] as string[]);
      parents.push({ pid: parent, command: parentCommand.length > 0 ? parentCommand : [`[${parentStat.comm}]`] });
      parent = parentStat.ppid;
    }
    const container = parseCgroupContainer(cgroup);
    const uid = parseStatusUid(status);
    const identity: ProcessIdentity = {
      pid,
      command,
      comm: stat.comm,
      startTime: stat.startTime,
      ...(exe !== undefined ? { exe } : {}),
      ...(uid !== undefined ? { uid } : {}),
      ...(container !== undefined ? { container } : {}),
      parents,
    };
    if (this.identities.size >= 1024) this.identities.clear();
    this.identities.set(pid, identity);
    return identity;
  }

  private stat(pid: number) {
    return this.reader.readFile(`${this.root}/${pid}/stat`).then(parseProcStat, () => null);
  }

  private remember(pid: number): void {
    const at = this.recentPids.indexOf(pid);
    if (at !== -1) this.recentPids.splice(at, 1);
    this.recentPids.unshift(pid);
    if (this.recentPids.length > this.recentPidLimit) this.recentPids.pop();
  }
}
