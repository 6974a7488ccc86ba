import type { AccessConnection, ConnectionAttribution, ImdsAccess } from "../imds-access.ts";
import type { ImdsAccessEvent } from "../request-handler.ts";
import { userAgentOf } from "../imds-access.ts";

/**
 * Access events cross from the IMDS worker to the main thread in batches: one postMessage per
 * event loop turn rather than per request. Flat arrays keep the structured clone cheap.
 */
export interface AccessBatch {
  readonly type: "access";
  /** EVENT_STRIDE values per event: instanceId, method, path, status, v2 (0/1), connection id, User-Agent or null, time (ms). */
  readonly events: unknown[];
  /**
   * CONNECTION_STRIDE values per connection first seen in this batch: id, remote address, remote port,
   * local address, local port, and its caller when identified before the answer (or null).
   */
  readonly connections: unknown[];
}

const EVENT_STRIDE = 8;
const CONNECTION_STRIDE = 6;
/** A batch is posted at the end of the event loop turn, or as soon as it holds this many events. */
const BATCH_LIMIT = 2048;
/**
 * Events posted but not yet read by the main thread beyond which new ones are dropped (and
 * counted): a main thread blocked for seconds under heavy IMDS load must not grow memory without bound.
 */
export const MAX_EVENTS_IN_FLIGHT = 100_000;

/** Slots of the shared Int32Array between the two sides. */
export const enum AccessSlot {
  /** Events the main thread has handed to its hook. */
  Read = 0,
  /** Events the worker dropped because too many were in flight. */
  Dropped = 1,
}
export const ACCESS_SLOTS = 2;

/** Worker side: collects answered requests and posts them once per event loop turn. */
export class AccessBatcher {
  private events: unknown[] = [];
  private connections: unknown[] = [];
  private posted = 0;
  private scheduled = false;
  private nextConnection = 1;
  private readonly connectionIds = new WeakMap<object, number>();
  /** Events of connections whose caller is still being named: they go out with the name (release). */
  private readonly held = new WeakMap<object, Array<[ImdsAccessEvent, number]>>();
  private readonly flushSoon = () => this.flush();

  constructor(
    private readonly post: (batch: AccessBatch) => void,
    private readonly shared: Int32Array,
    /** The caller named before the connection's first answer (src/observe/caller-identifier.ts). */
    private readonly attributionOf: (socket: object) => ConnectionAttribution | undefined = () => undefined,
    /** Whether naming the caller outlasted its bound and still runs: its events wait for `release`. */
    private readonly identifying: (socket: object) => boolean = () => false,
  ) {}

  /** The connection's caller is named (or could not be): its held events go out now, with it. */
  release(socket: object): void {
    const events = this.held.get(socket);
    this.held.delete(socket);
    if (events !== undefined) for (const [event, timeMs] of events) this.add(event, timeMs);
  }

  readonly add = (event: ImdsAccessEvent, timeMs: number): void => {
    if (this.posted + this.events.length / EVENT_STRIDE - Atomics.load(this.shared, AccessSlot.Read) >= MAX_EVENTS_IN_FLIGHT) {
      Atomics.add(this.shared, AccessSlot.Dropped, 1);
      return;
    }
    const req = event.request;
    const socket = req.socket;
    let id = this.connectionIds.get(socket);
    if (id === undefined && this.identifying(socket)) {
      const events = this.held.get(socket);
      if (events === undefined) this.held.set(socket, [[event, timeMs]]);
      else events.push([event, timeMs]);
      return;
    }
    if (id === undefined) {
      id = this.nextConnection++;
      this.connectionIds.set(socket, id);
      this.connections.push(id, socket.remoteAddress ?? "", socket.remotePort ?? 0, socket.localAddress ?? "", socket.localPort ?? 0, this.attributionOf(socket) ?? null);
    }
    this.events.push(event.runtime.record.instanceId, req.method ?? "", event.path, event.status, event.version === "v2" ? 1 : 0, id, userAgentOf(req.rawHeaders) ?? null, timeMs);
    if (this.events.length >= BATCH_LIMIT * EVENT_STRIDE) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushSoon);
    }
  };

  /** Posts what is pending now (also before answering a flush request, so the answer comes after it). */
  flush(): void {
    this.scheduled = false;
    if (this.events.length === 0) return;
    const batch: AccessBatch = { type: "access", events: this.events, connections: this.connections };
    this.posted += this.events.length / EVENT_STRIDE;
    this.events = [];
    this.connections = [];
    this.post(batch);
  }
}

/** How many connection stand-ins the main side keeps; the oldest go first (a reused one is merely announced again). */
const CONNECTION_LIMIT = 65_536;

/** Main side: turns batches back into `ImdsAccess` events, one stand-in object per connection. */
export class AccessUnbatcher {
  private readonly connections = new Map<number, AccessConnection>();

  constructor(
    private readonly deliver: ((access: ImdsAccess) => void) | undefined,
    private readonly shared: Int32Array,
  ) {}

  receive(batch: AccessBatch): void {
    const c = batch.connections;
    for (let i = 0; i < c.length; i += CONNECTION_STRIDE) {
      if (this.connections.size >= CONNECTION_LIMIT) this.connections.delete(this.connections.keys().next().value!);
      this.connections.set(c[i] as number, {
        remoteAddress: c[i + 1] as string,
        remotePort: c[i + 2] as number,
        localAddress: c[i + 3] as string,
        localPort: c[i + 4] as number,
        attribution: (c[i + 5] as ConnectionAttribution | null) ?? undefined,
      });
    }
    const e = batch.events;
    const count = e.length / EVENT_STRIDE;
    try {
      if (this.deliver === undefined) return;
      for (let i = 0; i < e.length; i += EVENT_STRIDE) {
        const id = e[i + 5] as number;
        let connection = this.connections.get(id);
        if (connection === undefined) {
          connection = {};
          this.connections.set(id, connection);
        }
        this.deliver({
          instanceId: e[i] as string,
          method: e[i + 1] as string,
          path: e[i + 2] as string,
          status: e[i + 3] as number,
          version: e[i + 4] === 1 ? "v2" : "v1",
          connection,
          userAgent: (e[i + 6] as string | null) ?? undefined,
          timeMs: e[i + 7] as number,
        });
      }
    } finally {
      Atomics.add(this.shared, AccessSlot.Read, count);
    }
  }

  get dropped(): number {
    return Atomics.load(this.shared, AccessSlot.Dropped);
  }
}
