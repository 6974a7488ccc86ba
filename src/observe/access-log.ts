/**
 * The IMDS access log: a ring of preallocated columns written once per answered request. Writing
 * does no I/O and allocates nothing but a connection's first record; the caller's process is looked
 * up later, per connection. Only small strings the request already made (path, User-Agent) are
 * kept: holding the whole header list of 10 000 requests doubled the server's GC time.
 */
import type { AttributionStatus, ProcessIdentity } from "../domain/migration/caller-observation.ts";

/** One TCP connection to an instance's endpoint; shared by all the requests it carries. */
export interface ConnectionInfo {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  attribution: AttributionStatus | "pending";
  process: ProcessIdentity | undefined;
}

/** The part of a net.Socket the log reads, once per connection. */
export interface SocketLike {
  readonly remoteAddress?: string | undefined;
  readonly remotePort?: number | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  /** The caller when the IMDS thread named it before answering (src/observe/caller-identifier.ts). */
  readonly attribution?: { readonly status: AttributionStatus; readonly process?: ProcessIdentity | undefined } | undefined;
}

export interface AccessRecord {
  readonly seq: number;
  readonly timeMs: number;
  readonly instanceId: string;
  readonly method: string;
  readonly path: string;
  readonly version: "v1" | "v2";
  readonly status: number;
  readonly connection: ConnectionInfo;
  readonly userAgent: string | undefined;
}

export class AccessLog {
  private count = 0;
  private readonly timeMs: Float64Array;
  private readonly status: Uint16Array;
  private readonly v2: Uint8Array;
  private readonly method: string[];
  private readonly path: string[];
  private readonly instanceId: string[];
  private readonly connection: (ConnectionInfo | undefined)[];
  private readonly userAgent: (string | undefined)[];
  private readonly connections = new WeakMap<object, ConnectionInfo>();

  constructor(
    readonly capacity: number,
    private readonly nowMs: () => number,
    /** Told once per new connection, e.g. to queue its attribution. */
    private readonly onConnection: (connection: ConnectionInfo) => void = () => undefined,
  ) {
    this.timeMs = new Float64Array(capacity);
    this.status = new Uint16Array(capacity);
    this.v2 = new Uint8Array(capacity);
    this.method = new Array<string>(capacity).fill("");
    this.path = new Array<string>(capacity).fill("");
    this.instanceId = new Array<string>(capacity).fill("");
    this.connection = new Array<ConnectionInfo | undefined>(capacity).fill(undefined);
    this.userAgent = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Requests recorded since start; the sequence number of the next one. */
  get written(): number {
    return this.count;
  }

  /** The oldest sequence number still held. */
  get oldest(): number {
    return Math.max(0, this.count - this.capacity);
  }

  /** `timeMs` defaults to now; the IMDS thread passes the time it answered. */
  record(instanceId: string, method: string, path: string, status: number, v2: boolean, socket: SocketLike, userAgent: string | undefined, timeMs = this.nowMs()): void {
    if (this.capacity === 0) return;
    let connection = this.connections.get(socket);
    if (connection === undefined) {
      // Read once per connection, at request time: the port names the client's socket in /proc.
      connection = {
        remoteAddress: socket.remoteAddress ?? "",
        remotePort: socket.remotePort ?? 0,
        localAddress: socket.localAddress ?? "",
        localPort: socket.localPort ?? 0,
        attribution: socket.attribution?.status ?? "pending",
        process: socket.attribution?.process,
      };
      this.connections.set(socket, connection);
      this.onConnection(connection);
    }
    const i = this.count % this.capacity;
    this.timeMs[i] = timeMs;
    this.status[i] = status;
    this.v2[i] = v2 ? 1 : 0;
    this.method[i] = method;
    this.path[i] = path;
    this.instanceId[i] = instanceId;
    this.connection[i] = connection;
    this.userAgent[i] = userAgent;
    this.count++;
  }

  /** The record with this sequence number, or undefined once the ring has overwritten it. */
  get(seq: number): AccessRecord | undefined {
    if (seq < this.oldest || seq >= this.count) return undefined;
    const i = seq % this.capacity;
    return {
      seq,
      timeMs: this.timeMs[i]!,
      instanceId: this.instanceId[i]!,
      method: this.method[i]!,
      path: this.path[i]!,
      version: this.v2[i] === 1 ? "v2" : "v1",
      status: this.status[i]!,
      connection: this.connection[i]!,
      userAgent: this.userAgent[i],
    };
  }

  /** The connection of a record without materialising the rest (the caller table's fast check). */
  connectionAt(seq: number): ConnectionInfo | undefined {
    return seq < this.oldest || seq >= this.count ? undefined : this.connection[seq % this.capacity];
  }

  // Column reads for the caller table's fold, which must not allocate a record per request.
  // The caller checks `seq` is held (connectionAt) first.
  instanceAt(seq: number): string {
    return this.instanceId[seq % this.capacity]!;
  }
  methodAt(seq: number): string {
    return this.method[seq % this.capacity]!;
  }
  pathAt(seq: number): string {
    return this.path[seq % this.capacity]!;
  }
  statusAt(seq: number): number {
    return this.status[seq % this.capacity]!;
  }
  isV2At(seq: number): boolean {
    return this.v2[seq % this.capacity] === 1;
  }
  timeAt(seq: number): number {
    return this.timeMs[seq % this.capacity]!;
  }
  userAgentAt(seq: number): string | undefined {
    return this.userAgent[seq % this.capacity];
  }
}
