import type { ProcessIdentity, ProcessSummary } from "../domain/migration/caller-observation.ts";
import { parseCgroupContainer, parseCmdline, parseProcStat, parseStatusUid } from "./proc-parsers.ts";

/** The /proc texts of one process as the sock-diag addon read them (status, cgroup and exe for the caller only). */
export interface ProcessSnapshot {
  readonly pid: number;
  readonly stat: string;
  readonly cmdline: string;
  readonly status: string;
  readonly cgroup: string;
  readonly exe?: string;
}

/** The caller (first snapshot) with its parents, or null when its stat could not be read. */
export function identityFromSnapshots(snapshots: readonly ProcessSnapshot[]): ProcessIdentity | null {
  const [own, ...ancestors] = snapshots;
  const stat = own === undefined ? null : parseProcStat(own.stat);
  if (own === undefined || stat === null) return null;
  const parents: ProcessSummary[] = [];
  for (const parent of ancestors) {
    const parentStat = parseProcStat(parent.stat);
    if (parentStat === null) break;
    const command = parseCmdline(parent.cmdline);
    parents.push({ pid: parent.pid, command: command.length > 0 ? command : [`[${parentStat.comm}]`] });
  }
  const uid = parseStatusUid(own.status);
  const container = parseCgroupContainer(own.cgroup);
  return {
    pid: own.pid,
    command: parseCmdline(own.cmdline),
    comm: stat.comm,
    startTime: stat.startTime,
    ...(own.exe !== undefined ? { exe: own.exe } : {}),
    ...(uid !== undefined ? { uid } : {}),
    ...(container !== undefined ? { container } : {}),
    parents,
  };
}
