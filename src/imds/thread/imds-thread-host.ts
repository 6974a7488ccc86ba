import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { SigningAuthorityMaterial } from "../../crypto/identity-signer.ts";
import type { InstanceNotices } from "../../domain/catalogue/instance-catalogue.ts";
import type { FaultSpec } from "../../domain/faults/fault-script.ts";
import type { InstanceRecord } from "../../domain/instance/instance.ts";
import { faultStatsMemory, type FaultStats } from "../active-fault.ts";
import type { EndpointAddress } from "../endpoint-server.ts";
import type { HopLimitMode } from "../hop-limit.ts";
import type { ImdsAccess } from "../imds-access.ts";
import type { ImdsEndpoints, ImdsRuntimeView } from "../imds-endpoints.ts";
import type { Ipv6Options } from "../imds-host.ts";
import { COUNTER_SLOTS, Counter, countersOf, type ImdsCounters } from "../instance-runtime.ts";
import { ACCESS_SLOTS, AccessUnbatcher } from "./access-batch.ts";
import type { CredentialMirror } from "./credential-mirror.ts";
import { deserializeError, type EndpointState, type FromWorker, type WorkerInit, type WorkerRequest } from "./messages.ts";

export interface ImdsThreadHostDeps {
  /** Mirrors the role credentials the worker issues (SigV4 verification in the main thread). */
  readonly credentials: CredentialMirror;
  /** The identity-document signing keys (kept in the store); the worker signs with them. */
  readonly signingMaterial: () => Promise<SigningAuthorityMaterial>;
  readonly connectionClose?: boolean;
  readonly onAccess?: (access: ImdsAccess) => void;
  /** Name each token-less caller before answering it (docs/behaviour.md, "IMDSv1 callers"); needs onAccess. */
  readonly identifyCallers?: boolean;
  readonly hopLimit: { readonly mode: HopLimitMode; readonly simulatedNetworks: string | undefined; readonly description: string };
  readonly ipv6?: Ipv6Options;
  /** Told when the worker dies; the IMDS is gone then (default: a line on stderr). */
  readonly onWorkerError?: (err: Error) => void;
}

interface Mirror {
  readonly cells: Float64Array;
  readonly view: ImdsRuntimeView;
  /** Handles whose descriptor the worker listens on: kept referenced here, so nothing closes it under the worker. */
  readonly adopted: object[];
  endpoint: EndpointState | null;
  stats: FaultStats | null;
}

type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** The worker module next to this one: TypeScript through tsx when run from source, JavaScript when built. */
function startWorker(init: WorkerInit): Worker {
  const options = { workerData: { imdsWorker: init }, transferList: [init.credentialPort] };
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./imds-worker.js", import.meta.url), options);
  // A worker does not inherit tsx's loader hooks when they were registered through its API (bin/imds-lab.js).
  const tsx = import.meta.resolve("tsx/esm/api");
  const entry = new URL("./imds-worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`, { ...options, eval: true });
}

/**
 * `ImdsEndpoints` with every endpoint in a worker thread (src/imds/thread/imds-worker.ts). Changes
 * go there as messages and resolve when the worker has applied them, so "the API answered" still
 * means "IMDS serves it"; counters and fault stats are shared memory, read without a message;
 * access events arrive in batches.
 */
export class ImdsThreadHost implements ImdsEndpoints {
  private readonly worker: Worker;
  private readonly mirrors = new Map<string, Mirror>();
  private readonly pending = new Map<number, { resolve: (reply: FromWorker & { type: "reply"; ok: true }) => void; reject: (err: Error) => void }>();
  private readonly accesses: AccessUnbatcher;
  private nextId = 1;
  private failure: Error | null = null;
  private closed = false;

  constructor(private readonly deps: ImdsThreadHostDeps) {
    const accessShared = new SharedArrayBuffer(4 * ACCESS_SLOTS);
    this.accesses = new AccessUnbatcher(deps.onAccess, new Int32Array(accessShared));
    this.worker = startWorker({
      tokenKey: randomBytes(32),
      connectionClose: deps.connectionClose ?? false,
      hopLimit: { mode: deps.hopLimit.mode, simulatedNetworks: deps.hopLimit.simulatedNetworks },
      ipv6: deps.ipv6 ?? { host: "::1" },
      reportAccess: deps.onAccess !== undefined,
      identifyCallers: deps.onAccess !== undefined && (deps.identifyCallers ?? false),
      accessShared,
      credentialPort: deps.credentials.reportPort,
    });
    this.worker.on("message", (message: FromWorker) => this.receive(message));
    this.worker.on("error", (err) => this.fail(err));
    this.worker.on("exit", (code) => {
      if (!this.closed) this.fail(new Error(`the IMDS worker exited (${code})`));
    });
  }

  async attach(record: InstanceRecord, address: EndpointAddress, notices?: InstanceNotices): Promise<EndpointAddress> {
    if (this.mirrors.has(record.instanceId)) throw new Error(`instance ${record.instanceId} already has an endpoint`);
    const memory = new SharedArrayBuffer(8 * COUNTER_SLOTS);
    const cells = new Float64Array(memory);
    const mirror: Mirror = { cells, view: this.viewOf(record.instanceId, cells), adopted: [], endpoint: null, stats: null };
    this.mirrors.set(record.instanceId, mirror);
    try {
      const reply = await this.request({ type: "attach", record, address, notices, cells: memory });
      mirror.endpoint = reply.endpoint ?? null;
      return reply.address!;
    } catch (err) {
      this.mirrors.delete(record.instanceId);
      throw err;
    }
  }

  async update(record: InstanceRecord, notices?: InstanceNotices): Promise<void> {
    const mirror = this.mirrors.get(record.instanceId);
    if (mirror === undefined) return;
    const reply = await this.request({ type: "update", record, notices });
    mirror.endpoint = reply.endpoint ?? null;
  }

  setNotices(instanceId: string, notices: InstanceNotices): void {
    if (this.mirrors.has(instanceId) && this.failure === null) this.worker.postMessage({ type: "notices", instanceId, notices });
  }

  async setFault(instanceId: string, spec: FaultSpec | null, stats?: FaultStats): Promise<void> {
    const mirror = this.mirrors.get(instanceId);
    if (mirror === undefined) return;
    // Stats from newFaultStats live in shared memory: the scheduler reads what the worker counts.
    const reply = await this.request({ type: "fault", instanceId, spec, stats: stats === undefined ? null : faultStatsMemory(stats) });
    mirror.endpoint = reply.endpoint ?? null;
    mirror.stats = spec === null ? null : (stats ?? null);
  }

  faultStats(instanceId: string): FaultStats | null {
    return this.mirrors.get(instanceId)?.stats ?? null;
  }

  hopLimitMode(): string {
    return this.deps.hopLimit.description;
  }

  /**
   * A handle cannot move between threads, its descriptor can: the worker listens on the same fd
   * (libuv exposes it on Unix) while this thread keeps the handle referenced until detach.
   */
  async adoptListener(instanceId: string, handle: object, family: "ipv4" | "ipv6"): Promise<void> {
    const mirror = this.mirrors.get(instanceId);
    if (mirror === undefined) throw new Error(`instance ${instanceId} has no endpoint`);
    const fd = (handle as { fd?: unknown }).fd;
    if (typeof fd !== "number" || fd < 0) throw new Error("the listener handle has no file descriptor (only Unix TCP handles can be adopted)");
    await this.request({ type: "adopt", instanceId, fd, family });
    mirror.adopted.push(handle);
  }

  async detach(instanceId: string): Promise<void> {
    if (!this.mirrors.has(instanceId)) return;
    this.mirrors.delete(instanceId);
    await this.request({ type: "detach", instanceId });
  }

  has(instanceId: string): boolean {
    return this.mirrors.has(instanceId);
  }

  runtime(instanceId: string): ImdsRuntimeView | undefined {
    return this.mirrors.get(instanceId)?.view;
  }

  url(instanceId: string): string | null {
    return this.mirrors.get(instanceId)?.endpoint?.url ?? null;
  }

  ipv6Url(instanceId: string): string | null {
    return this.mirrors.get(instanceId)?.endpoint?.ipv6Url ?? null;
  }

  instanceIds(): string[] {
    return [...this.mirrors.keys()];
  }

  async flushAccesses(): Promise<void> {
    if (this.failure === null && !this.closed) await this.request({ type: "flush" });
  }

  /** Access events dropped because the main thread fell too far behind reading them. */
  get accessesDropped(): number {
    return this.accesses.dropped;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.failure === null) await this.request({ type: "close" });
    } finally {
      this.closed = true;
      this.mirrors.clear();
      this.deps.credentials.close();
      await this.worker.terminate();
    }
  }

  private viewOf(instanceId: string, cells: Float64Array): ImdsRuntimeView {
    return {
      get counters(): ImdsCounters {
        return countersOf(cells);
      },
      get tokenResponsesWithheld(): number {
        return cells[Counter.TokenResponsesWithheld]!;
      },
      warmSignatures: () => this.request({ type: "warm", instanceId }),
    };
  }

  private request(request: Request): Promise<FromWorker & { type: "reply"; ok: true }> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private receive(message: FromWorker): void {
    switch (message.type) {
      case "access":
        this.accesses.receive(message);
        return;
      case "material-request":
        this.deps.signingMaterial().then(
          (material) => this.worker.postMessage({ type: "material", requestId: message.requestId, material }),
          (err: unknown) => this.worker.postMessage({ type: "material", requestId: message.requestId, error: err instanceof Error ? err.message : String(err) }),
        );
        return;
      case "reply": {
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.ok) pending?.resolve(message);
        else pending?.reject(deserializeError(message.error));
      }
    }
  }

  private fail(err: Error): void {
    if (this.failure !== null) return;
    this.failure = err;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
    (this.deps.onWorkerError ?? ((e: Error) => process.stderr.write(`imds-lab: the IMDS thread failed: ${e.message}\n`)))(err);
  }
}
