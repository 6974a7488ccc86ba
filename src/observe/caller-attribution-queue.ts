/**
 * Batches new connections for process attribution: the hot path only pushes onto an array; one
 * /proc pass per event-loop turn serves every connection that arrived meanwhile.
 */
import { platform } from "node:os";
import { isLoopback, unmapIpv4 } from "../domain/migration/network-distance.ts";
import type { AttributionStatus } from "../domain/migration/caller-observation.ts";
import type { ConnectionInfo } from "./access-log.ts";
import type { AttributionResult, ProcessAttributor } from "./process-attributor.ts";

const MAX_QUEUED = 4096;
const TIMEOUT_MS = 2000;
/**
 * Reading /proc/net/tcp walks the kernel's whole TCP hash table (2-25 ms of system time measured
 * on a busy 24 GiB host): at most one pass per this interval, however many connections arrive.
 */
const MIN_PASS_INTERVAL_MS = 50;

export class AttributionQueue {
  private queue: ConnectionInfo[] = [];
  private running: Promise<void> | null = null;
  private scheduled = false;
  private lastPassMs = Number.NEGATIVE_INFINITY;
  readonly results: Record<string, number> = {};

  constructor(
    private readonly attributor: ProcessAttributor | null,
    private readonly localAddresses: readonly string[],
    private readonly afterBatch: () => void,
    /** Addresses of callers inside `imds-lab run`'s namespaces: local processes too. */
    private readonly isNamespaceCaller: (address: string) => boolean = () => false,
  ) {}

  /** Decides at once when no lookup can help; otherwise queues the connection for the next batch. */
  add(connection: ConnectionInfo): void {
    // Named before its first answer (src/observe/caller-identifier.ts); a miss there is retried here.
    if (connection.attribution === "attributed") {
      this.results.attributed = (this.results.attributed ?? 0) + 1;
      return;
    }
    connection.attribution = "pending";
    connection.process = undefined;
    const immediate = this.immediateStatus(connection);
    if (immediate !== undefined) {
      this.settle(connection, { status: immediate });
      return;
    }
    this.queue.push(connection);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastPassMs + MIN_PASS_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(() => void this.run());
    else setTimeout(() => void this.run(), wait).unref();
  }

  /** Resolves once every connection queued so far has a result. */
  async drain(): Promise<void> {
    while (this.running !== null || this.queue.length > 0) {
      if (this.running !== null) await this.running;
      else await this.run();
    }
  }

  private immediateStatus(connection: ConnectionInfo): AttributionStatus | undefined {
    if (this.attributor === null) return platform() === "linux" ? "disabled" : "unsupported";
    const address = unmapIpv4(connection.remoteAddress);
    if (!isLoopback(address) && !this.localAddresses.some((a) => unmapIpv4(a) === address) && !this.isNamespaceCaller(address)) return "not-local";
    if (this.queue.length >= MAX_QUEUED) return "busy";
    return undefined;
  }

  private run(): Promise<void> {
    this.scheduled = false;
    if (this.running !== null) return this.running;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return Promise.resolve();
    this.lastPassMs = performance.now();
    const attributor = this.attributor!;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), TIMEOUT_MS);
    });
    this.running = Promise.race([attributor.attribute(batch).catch(() => null), timeout]).then((results) => {
      clearTimeout(timer);
      batch.forEach((c, i) => this.settle(c, results?.[i] ?? { status: "timeout" }));
      this.running = null;
      this.afterBatch();
      if (this.queue.length > 0) this.schedule();
    });
    return this.running;
  }

  private settle(connection: ConnectionInfo, result: AttributionResult): void {
    connection.attribution = result.status;
    connection.process = result.process;
    this.results[result.status] = (this.results[result.status] ?? 0) + 1;
  }
}
