/**
 * Caller statistics folded from the access log, per instance and caller, so they outlive the
 * ring. Folding waits for a connection's attribution, so each request lands under its process.
 */
import type { CallerObservation, PathCount } from "../domain/migration/caller-observation.ts";
import { TOKEN_PATH } from "../imds/constants.ts";
import type { AccessLog, ConnectionInfo } from "./access-log.ts";

const MAX_CALLERS_PER_INSTANCE = 256;
const MAX_PATHS_PER_CALLER = 64;
const MAX_VALUES = 8;
const OTHER = "(other callers)";
const OTHER_PATHS = "(other paths)";

interface CallerStats {
  instanceId: string;
  key: string;
  connection: ConnectionInfo;
  remoteAddresses: Set<string>;
  userAgents: Set<string>;
  firstSeenMs: number;
  lastSeenMs: number;
  v1Requests: number;
  v1Rejected: number;
  v2Requests: number;
  tokenPuts: number;
  v1Paths: Map<string, number>;
}

export class CallerTable {
  private cursor = 0;
  private droppedCount = 0;
  private overflow = 0;
  private readonly byInstance = new Map<string, Map<string, CallerStats>>();
  private readonly lastCaller = new WeakMap<ConnectionInfo, { instanceId: string; userAgent: string | undefined; stats: CallerStats }>();

  constructor(private readonly log: AccessLog) {}

  /** Records not folded yet. */
  get backlog(): number {
    return this.log.written - this.cursor;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  get overflowCallers(): number {
    return this.overflow;
  }

  /**
   * Folds every record up to the first whose connection is still being attributed. With
   * `force`, pending connections are folded as they are (a read must not wait forever).
   */
  fold(force = false): void {
    if (this.cursor < this.log.oldest) {
      this.droppedCount += this.log.oldest - this.cursor;
      this.cursor = this.log.oldest;
    }
    for (; this.cursor < this.log.written; this.cursor++) {
      const connection = this.log.connectionAt(this.cursor);
      if (connection === undefined) continue;
      if (connection.attribution === "pending" && !force) break;
      this.add(this.cursor, connection);
    }
  }

  observations(): CallerObservation[] {
    const out: CallerObservation[] = [];
    for (const callers of this.byInstance.values()) for (const s of callers.values()) out.push(toObservation(s));
    return out;
  }

  private add(seq: number, c: ConnectionInfo): void {
    const log = this.log;
    const instanceId = log.instanceAt(seq);
    const userAgent = log.userAgentAt(seq);
    // Most records repeat their connection's caller: resolve the caller once per connection.
    let cached = this.lastCaller.get(c);
    if (cached === undefined || cached.instanceId !== instanceId || cached.userAgent !== userAgent) {
      cached = { instanceId, userAgent, stats: this.callerFor(instanceId, c, userAgent, log.timeAt(seq)) };
      this.lastCaller.set(c, cached);
    }
    const stats = cached.stats;
    stats.lastSeenMs = log.timeAt(seq);
    const method = log.methodAt(seq);
    const status = log.statusAt(seq);
    if (log.isV2At(seq)) {
      if (method === "PUT" && log.pathAt(seq) === TOKEN_PATH) stats.tokenPuts++;
      else stats.v2Requests++;
    } else if (status === 401) {
      // A token-less 401 happens only under HttpTokens=required (docs/behaviour.md#imdsv1-callers-and-metrics).
      stats.v1Rejected++;
    } else if ((method === "GET" || method === "HEAD") && status !== 403) {
      stats.v1Requests++;
      const path = log.pathAt(seq);
      const key = stats.v1Paths.has(path) || stats.v1Paths.size < MAX_PATHS_PER_CALLER ? path : OTHER_PATHS;
      stats.v1Paths.set(key, (stats.v1Paths.get(key) ?? 0) + 1);
    }
  }

  private callerFor(instanceId: string, c: ConnectionInfo, userAgent: string | undefined, timeMs: number): CallerStats {
    const key = c.process !== undefined ? `process:${c.process.pid}:${c.process.startTime}` : `address:${c.remoteAddress}|${userAgent ?? ""}`;
    let callers = this.byInstance.get(instanceId);
    if (callers === undefined) this.byInstance.set(instanceId, (callers = new Map()));
    let stats = callers.get(key);
    if (stats === undefined) {
      const full = callers.size >= MAX_CALLERS_PER_INSTANCE;
      if (full) this.overflow++;
      stats = callers.get(full ? OTHER : key) ?? newStats(instanceId, full ? OTHER : key, c, timeMs);
      callers.set(stats.key, stats);
    }
    addBounded(stats.remoteAddresses, c.remoteAddress);
    if (userAgent !== undefined) addBounded(stats.userAgents, userAgent);
    return stats;
  }
}

function newStats(instanceId: string, key: string, connection: ConnectionInfo, timeMs: number): CallerStats {
  return {
    instanceId,
    key,
    connection,
    remoteAddresses: new Set(),
    userAgents: new Set(),
    firstSeenMs: timeMs,
    lastSeenMs: timeMs,
    v1Requests: 0,
    v1Rejected: 0,
    v2Requests: 0,
    tokenPuts: 0,
    v1Paths: new Map(),
  };
}

function addBounded(set: Set<string>, value: string): void {
  if (set.size < MAX_VALUES || set.has(value)) set.add(value);
}

function toObservation(s: CallerStats): CallerObservation {
  const paths: PathCount[] = [...s.v1Paths].map(([path, count]) => ({ path, count })).sort((a, b) => b.count - a.count || a.path.localeCompare(b.path));
  const c = s.connection;
  return {
    instanceId: s.instanceId,
    key: s.key,
    attribution: c.attribution === "pending" ? "timeout" : c.attribution,
    ...(c.process !== undefined && s.key !== OTHER ? { process: c.process } : {}),
    remoteAddresses: [...s.remoteAddresses],
    userAgents: [...s.userAgents],
    firstSeenMs: s.firstSeenMs,
    lastSeenMs: s.lastSeenMs,
    v1Requests: s.v1Requests,
    v1Rejected: s.v1Rejected,
    v2Requests: s.v2Requests,
    tokenPuts: s.tokenPuts,
    v1Paths: paths,
  };
}
