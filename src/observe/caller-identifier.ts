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
import { isLoopback } from "../domain/migration/network-distance.ts";
import type { AttributionResult, ProcessAttributor } from "./process-attributor.ts";
import { identityFromSnapshots } from "./process-snapshot.ts";
import { findClientSocketOwner, type SockDiag } from "./sock-diag.ts";

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
}

/**
 * The addon's lookup took p50 8 ms, p90 22 ms, max 58 ms for one-shot curl callers on a 2-core VM
 * at load average 16 (docs/benchmarks.md, "IMDSv1 caller identification"); idle, about 1 ms. The
 * bound only caps a pathological host: a caller still unnamed then is answered and retried off-path.
 */
const DEFAULT_BOUND_MS = 100;
const RECENT_PIDS = 16;
const MAX_PARENTS = 3;

export class CallerIdentifier {
  private readonly results = new WeakMap<object, AttributionResult>();
  private readonly inFlight = new WeakSet<object>();
  private readonly boundMs: number;
  private readonly recentPids: number[] = [];

  constructor(private readonly options: CallerIdentifierOptions) {
    this.boundMs = options.boundMs ?? DEFAULT_BOUND_MS;
  }

  /**
   * Starts identifying the connection's caller and resolves when it is known or the bound passed;
   * null when there is nothing to wait for: already identified (once per connection), or not a
   * loopback caller (another host, or another network namespace: the off-path queue decides those).
   */
  identify(socket: CallerSocket): Promise<void> | null {
    if (this.results.has(socket) || this.inFlight.has(socket)) return null;
    const remoteAddress = socket.remoteAddress;
    const localAddress = socket.localAddress;
    if (remoteAddress === undefined || localAddress === undefined || !isLoopback(remoteAddress)) return null;
    this.inFlight.add(socket);
    const target = { remoteAddress, remotePort: socket.remotePort ?? 0, localAddress, localPort: socket.localPort ?? 0 };
    const lookup = this.lookup(target).then(
      (result) => {
        this.inFlight.delete(socket);
        this.results.set(socket, result);
      },
      () => this.inFlight.delete(socket),
    );
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.boundMs);
    });
    return Promise.race([lookup, bound]).then(() => clearTimeout(timer));
  }

  /** The identity found before the connection's first answer, if it was found in time. */
  resultFor(socket: object): AttributionResult | undefined {
    return this.results.get(socket);
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
