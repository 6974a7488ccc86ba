/**
 * Names the process behind a token-less IMDS connection BEFORE it is answered (docs/behaviour.md,
 * "IMDSv1 callers"): the caller is blocked waiting for us, so its socket and its process still
 * exist, however short-lived it is (curl, a python one-liner, a cron job). Attributing after the
 * answer, as the off-path queue does, misses exactly those.
 *
 * The addon (native/sock-diag) names the client socket by its 4-tuple through netlink sock_diag
 * (one hash lookup), finds the pid holding it through /proc/<pid>/fd (recent callers, then newest
 * processes first) and reads that process's /proc texts, all in one job on libuv's thread pool:
 * the event loop keeps answering other requests meanwhile, and the answer waits at most `boundMs`.
 * Without the addon, the /proc/net/tcp{,6} tables and fd links are read with async fs calls
 * (src/observe/process-attributor.ts): the same result, slower on a busy host.
 */
import { isLoopback, unmapIpv4 } from "../domain/migration/network-distance.ts";
import type { AttributionResult, ProcessAttributor } from "./process-attributor.ts";
import { identityFromSnapshots } from "./process-snapshot.ts";
import { findClientSocketOwner, type SockDiag } from "./sock-diag.ts";
import { UserNames } from "./user-names.ts";

/** The part of a net.Socket identification reads. */
export interface CallerSocket {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
}

export interface CallerIdentifierOptions {
  readonly attributor: ProcessAttributor;
  /** Null: the addon was not built; /proc/net/tcp{,6} is read instead (slower on busy hosts). */
  readonly sockDiag: SockDiag | null;
  /** The longest a token-less answer waits for its caller's identity. */
  readonly boundMs?: number;
  /** Told when an identification that outlasted its bound ends (found or not): the answer had gone before it. */
  readonly onLate?: (socket: object) => void;
  readonly userNames?: UserNames;
  /** This host's own addresses besides loopback (a caller may use the host's primary IP): same namespace, same lookup. */
  readonly localAddresses?: readonly string[];
}

/**
 * The wait added 0.8 ms at p50 and 4.4 ms at p99 to one-shot curl callers on a 2-core VM (40 ms at
 * p99 when overloaded), the addon's own job about 1 ms (docs/benchmarks.md, "IMDSv1 caller
 * identification"). The bound only caps an
 * overloaded host, where the job can wait in libuv's shared pool behind other work (100 ms still
 * missed 1 of 208 callers there); it stays far below the SDKs' 1-second IMDS timeout. A caller
 * still unnamed then is answered, and its records wait for the name.
 */
const DEFAULT_BOUND_MS = 250;
const RECENT_PIDS = 16;
const MAX_PARENTS = 3;

export class CallerIdentifier {
  private readonly results = new WeakMap<object, AttributionResult>();
  private readonly inFlight = new WeakSet<object>();
  private readonly late = new WeakSet<object>();
  private readonly boundMs: number;
  private readonly recentPids: number[] = [];
  private readonly userNames: UserNames;

  constructor(private readonly options: CallerIdentifierOptions) {
    this.boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
    this.userNames = options.userNames ?? new UserNames();
  }

  /**
   * Starts identifying the connection's caller and resolves when it is known or the bound passed;
   * null when there is nothing to wait for: already identified (once per connection), or not a
   * caller of this host (another host, or another network namespace: the off-path queue decides those).
   */
  identify(socket: CallerSocket): Promise<void> | null {
    if (this.results.has(socket) || this.inFlight.has(socket)) return null;
    const remoteAddress = socket.remoteAddress;
    const localAddress = socket.localAddress;
    if (remoteAddress === undefined || localAddress === undefined || !this.isLocal(remoteAddress)) return null;
    this.inFlight.add(socket);
    const target = { remoteAddress, remotePort: socket.remotePort ?? 0, localAddress, localPort: socket.localPort ?? 0 };
    const lookup = this.lookup(target).then((result) => this.withUserName(result)).then(
      (result) => {
        this.inFlight.delete(socket);
        this.results.set(socket, result);
        if (this.late.delete(socket)) this.options.onLate?.(socket);
      },
      () => {
        this.inFlight.delete(socket);
        if (this.late.delete(socket)) this.options.onLate?.(socket);
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (this.inFlight.has(socket)) this.late.add(socket);
        resolve();
      }, this.boundMs);
    });
    return Promise.race([lookup, bound]).then(() => clearTimeout(timer));
  }

  private isLocal(address: string): boolean {
    return isLoopback(address) || (this.options.localAddresses?.includes(unmapIpv4(address)) ?? false);
  }

  /** The identity found for the connection, once found. */
  resultFor(socket: object): AttributionResult | undefined {
    return this.results.get(socket);
  }

  /** Still looking, after the bound let the answer go. */
  isLate(socket: object): boolean {
    return this.late.has(socket);
  }

  /** The process with its user's login name, when the host's passwd file names the uid. */
  private async withUserName(result: AttributionResult): Promise<AttributionResult> {
    const uid = result.process?.uid;
    const user = uid === undefined ? undefined : await this.userNames.name(uid);
    return user === undefined ? result : { ...result, process: { ...result.process!, user } };
  }

  private async lookup(target: { remoteAddress: string; remotePort: number; localAddress: string; localPort: number }): Promise<AttributionResult> {
    const { attributor, sockDiag } = this.options;
    if (sockDiag === null) return (await attributor.attribute([target]))[0]!;
    const owner = await findClientSocketOwner(sockDiag, target, this.recentPids, MAX_PARENTS);
    if (owner === null || owner.inode === 0) return { status: "socket-gone" };
    const identity = identityFromSnapshots(owner.processes);
    if (identity === null) return { status: "process-not-found" };
    this.remember(identity.pid);
    return { status: "attributed", process: identity };
  }

  /** Callers that came before are searched first: a script calling in a loop, an agent polling. */
  private remember(pid: number): void {
    const at = this.recentPids.indexOf(pid);
    if (at !== -1) this.recentPids.splice(at, 1);
    this.recentPids.unshift(pid);
    if (this.recentPids.length > RECENT_PIDS) this.recentPids.pop();
  }
}
