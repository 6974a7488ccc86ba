/**
 * Foreign CPU load: this machine may be shared (test suites, builds). Before a measurement the
 * runner waits for the machine to be quiet; during it, CpuWatch accounts the CPU time of the whole
 * machine against that of our own processes (servers, load generator, this runner), so a
 * measurement disturbed by something else can be marked and taken again.
 */
import { readFileSync } from "node:fs";

interface CpuTimes {
  /** user + nice + system + irq + softirq: a process's utime+stime include the irq and softirq ticks taken while it ran. */
  readonly busy: number;
  readonly steal: number;
  readonly total: number;
}

/** Machine-wide CPU ticks (USER_HZ) from /proc/stat, or null off Linux. */
function readCpu(): CpuTimes | null {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields;
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: user + nice + system + irq + softirq, steal: fields[7] ?? 0, total };
  } catch {
    return null;
  }
}

/** USER_HZ: /proc counts CPU time in ticks of 10 ms on Linux. */
const TICK_MS = 10;

/** utime+stime of a process, all its threads, plus its waited-for children (USER_HZ ticks). */
export function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After ")": state(3) ... utime(14) stime(15) cutime(16) cstime(17), i.e. indexes 11..14 here.
    return Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  } catch {
    return null;
  }
}

/** Percent of all cores busy over `ms` (null where /proc/stat is missing). */
export async function busyPercent(ms = 500): Promise<number | null> {
  const a = readCpu();
  await new Promise((r) => setTimeout(r, ms));
  const b = readCpu();
  if (a === null || b === null || b.total === a.total) return null;
  return (100 * (b.busy - a.busy)) / (b.total - a.total);
}

/**
 * Waits (at most `maxWaitMs`) until the machine is below `threshold` % busy while our servers are
 * idle; returns the last reading and how long it waited.
 */
export async function waitForQuiet(threshold: number, maxWaitMs: number): Promise<{ busyPct: number | null; waitedMs: number }> {
  const start = Date.now();
  const deadline = start + maxWaitMs;
  let busy = await busyPercent();
  while (busy !== null && busy > threshold && Date.now() < deadline) busy = await busyPercent(1_000);
  return { busyPct: busy, waitedMs: Date.now() - start };
}

/** Accounts one measurement's CPU time: whole machine minus our processes = foreign. */
export class CpuWatch {
  private readonly startMachine = readCpu();
  private readonly startOurs: Map<number, number>;
  private readonly startSelf = process.cpuUsage();
  private readonly lastSeen = new Map<number, number>();
  private readonly polled = new Set<number>();
  private timer: NodeJS.Timeout | undefined;

  /** `pids`: long-lived processes of ours (the servers), alive for the whole measurement. */
  constructor(private readonly pids: readonly number[]) {
    this.startOurs = new Map(pids.map((p) => [p, processTicks(p) ?? 0]));
  }

  /** A process of ours that starts now and may exit before stop() (the load generator): polled. */
  watch(pid: number): void {
    this.polled.add(pid);
    const poll = () => {
      for (const p of this.polled) {
        const t = processTicks(p);
        if (t !== null) this.lastSeen.set(p, t);
      }
    };
    poll();
    if (this.timer === undefined) {
      this.timer = setInterval(poll, 100);
      this.timer.unref();
    }
  }

  /** Shares of the machine's capacity (all cores = 100 %) used by us and by others. */
  stop(): { oursPct: number; foreignPct: number; stealPct: number; cpuMsByPid: Map<number, number> } | null {
    if (this.timer !== undefined) clearInterval(this.timer);
    const end = readCpu();
    if (this.startMachine === null || end === null || end.total === this.startMachine.total) return null;
    let ours = 0;
    const cpuMsByPid = new Map<number, number>();
    for (const pid of this.pids) {
      const ticks = (processTicks(pid) ?? this.startOurs.get(pid) ?? 0) - (this.startOurs.get(pid) ?? 0);
      cpuMsByPid.set(pid, ticks * TICK_MS);
      ours += ticks;
    }
    for (const t of this.lastSeen.values()) ours += t;
    const self = process.cpuUsage(this.startSelf);
    ours += (self.user + self.system) / 1_000 / TICK_MS; // microseconds -> ticks
    const total = end.total - this.startMachine.total;
    const busy = end.busy - this.startMachine.busy;
    const oursPct = (100 * ours) / total;
    return {
      oursPct,
      foreignPct: Math.max(0, (100 * (busy - ours)) / total),
      stealPct: (100 * (end.steal - this.startMachine.steal)) / total,
      cpuMsByPid,
    };
  }
}
