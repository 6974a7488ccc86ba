import type { RequestListener, Server } from "node:http";
import type { Socket } from "node:net";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import type { InstanceNotices } from "../domain/catalogue/instance-catalogue.ts";
import type { FaultSpec } from "../domain/faults/fault-script.ts";
import type { TokenMac } from "../domain/tokens/session-token.ts";
import type { FaultStats } from "./active-fault.ts";
import { closeServer, createEndpointServer, listenAt, type EndpointAddress } from "./endpoint-server.ts";
import type { PendingAccepts } from "./accept-queue.ts";
import type { HopLimitEnforcer } from "./hop-limit.ts";
import { InstanceRuntime, type CredentialSource, type SignatureSource } from "./instance-runtime.ts";
import { createImdsRequestHandler, type ImdsAccessEvent, type ImdsRequestDeps } from "./request-handler.ts";

export type { EndpointAddress } from "./endpoint-server.ts";

/** Where HttpProtocolIpv6=enabled instances answer over IPv6 (EC2: [fd00:ec2::254]; here loopback). */
export interface Ipv6Options {
  readonly host: string;
  /** The instance whose IPv4 endpoint has this address (the default one) keeps its port on IPv6; others take a free port. */
  readonly primaryIpv4Host?: string | undefined;
}

export interface ImdsHostDeps {
  readonly nowMs: () => number;
  readonly tokenMac: TokenMac;
  readonly nonce: () => Uint8Array;
  readonly credentials: CredentialSource;
  readonly signer: SignatureSource;
  /** Send `Connection: close` on every answer as EC2 does (off by default: see docs/behaviour.md). */
  readonly connectionClose?: boolean;
  readonly onAccess?: (event: ImdsAccessEvent) => void;
  /** Names a token-less request's caller before it is answered (src/observe/caller-identifier.ts); unset: never. */
  readonly identifyCaller?: ImdsRequestDeps["identifyCaller"];
  /** How HttpPutResponseHopLimit is enforced (src/imds/hop-limit.ts); unset: not enforced. */
  readonly hopLimit?: HopLimitEnforcer;
  readonly ipv6?: Ipv6Options;
  /** For injected faults: drop decisions and added latency (Math.random / setTimeout when unset). */
  readonly random?: () => number;
  readonly delay?: (ms: number, run: () => void) => void;
  /** Takes a listen queue's waiting connections at once (the native addon); unset: libuv's one per event-loop turn. */
  readonly pendingAccepts?: PendingAccepts;
}

interface Endpoint {
  readonly runtime: InstanceRuntime;
  readonly handler: RequestListener;
  /** Listeners opened elsewhere (another network namespace) and handed in by `adoptListener`. */
  readonly adopted: Server[];
  readonly server: Server;
  readonly server6: Server;
  address: EndpointAddress;
  address6: EndpointAddress | null;
  listening: boolean;
  listening6: boolean;
  /** An outage fault in "refuse" mode keeps both listeners closed. */
  refusing: boolean;
  detached: boolean;
  /** Listen/close steps run one after another, so quick successive changes cannot interleave. */
  queue: Promise<void>;
}

/** EC2 serves an instance's metadata only while it runs; a stopped instance's endpoint is gone. */
function servesMetadata(record: InstanceRecord): boolean {
  return record.state === "running" || record.state === "pending" || record.state === "stopping" || record.state === "shutting-down";
}

/**
 * Every instance's IMDS endpoint: one HTTP listener per instance on its own loopback address
 * (or port), plus one on IPv6 loopback while HttpProtocolIpv6=enabled, whose requests are
 * answered from that instance's runtime alone.
 */
export class ImdsHost {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly ipv6: Ipv6Options;

  constructor(private readonly deps: ImdsHostDeps) {
    this.ipv6 = deps.ipv6 ?? { host: "::1" };
  }

  /** Serves `record` at `address` (port 0 picks a free port); resolves to the bound address. */
  async attach(record: InstanceRecord, address: EndpointAddress, notices?: InstanceNotices): Promise<EndpointAddress> {
    if (this.endpoints.has(record.instanceId)) throw new Error(`instance ${record.instanceId} already has an endpoint`);
    const runtime = new InstanceRuntime(
      record,
      { credentials: this.deps.credentials, signer: this.deps.signer, connectionClose: this.deps.connectionClose ?? false },
      notices,
    );
    const handler = createImdsRequestHandler(runtime, {
      nowMs: this.deps.nowMs,
      tokenMac: this.deps.tokenMac,
      nonce: this.deps.nonce,
      onAccess: this.deps.onAccess,
      hopLimit: this.deps.hopLimit,
      random: this.deps.random,
      delay: this.deps.delay,
      identifyCaller: this.deps.identifyCaller,
    });
    const endpoint: Endpoint = {
      runtime,
      handler,
      adopted: [],
      server: createEndpointServer(handler, this.deps.pendingAccepts),
      server6: createEndpointServer(handler, this.deps.pendingAccepts),
      address,
      address6: null,
      listening: false,
      listening6: false,
      refusing: false,
      detached: false,
      queue: Promise.resolve(),
    };
    this.endpoints.set(record.instanceId, endpoint);
    await this.reconcile(endpoint);
    return endpoint.address;
  }

  /** Applies a changed record (options, tags, state) to the live endpoint at once. */
  async update(record: InstanceRecord, notices?: InstanceNotices): Promise<void> {
    const endpoint = this.endpoints.get(record.instanceId);
    if (endpoint === undefined) return;
    endpoint.runtime.update(record, notices);
    await this.reconcile(endpoint);
  }

  setNotices(instanceId: string, notices: InstanceNotices): void {
    this.endpoints.get(instanceId)?.runtime.setNotices(notices);
  }

  /** Injects a fault into one instance's endpoint (null clears it); takes effect for the next request. */
  async setFault(instanceId: string, spec: FaultSpec | null, stats?: FaultStats): Promise<void> {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined) return;
    endpoint.runtime.setFault(spec, this.deps.nowMs(), stats);
    endpoint.refusing = spec?.outage === "refuse";
    await this.reconcile(endpoint);
  }

  faultStats(instanceId: string): FaultStats | null {
    return this.endpoints.get(instanceId)?.runtime.fault?.stats ?? null;
  }

  /** "ttl", "simulate", "ttl+simulate" or "off": how the hop limit is enforced. */
  hopLimitMode(): string {
    return this.deps.hopLimit?.description ?? "off";
  }

  /**
   * Serves the instance also on a listening socket opened elsewhere, e.g. at 169.254.169.254:80
   * inside a network namespace (`imds-lab run`, docs/run.md): `handle` is what `server.listen`
   * accepts, a TCP handle received from another process or `{ fd }`. The same decision table,
   * tokens, hop limit and access log answer there. While the instance's own endpoint does not
   * serve (stopped, outage, or for IPv6 HttpProtocolIpv6=disabled) connections are reset, since a
   * socket opened elsewhere cannot be reopened here. Closed on detach.
   */
  async adoptListener(instanceId: string, handle: object, family: "ipv4" | "ipv6"): Promise<void> {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined) throw new Error(`instance ${instanceId} has no endpoint`);
    const server = createEndpointServer(endpoint.handler, this.deps.pendingAccepts);
    server.prependListener("connection", (socket: Socket) => {
      if (!(family === "ipv4" ? endpoint.listening : endpoint.listening6)) socket.resetAndDestroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(handle, () => {
        server.off("error", reject);
        resolve();
      });
    });
    endpoint.adopted.push(server);
  }

  async detach(instanceId: string): Promise<void> {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined) return;
    this.endpoints.delete(instanceId);
    endpoint.detached = true;
    await Promise.all(endpoint.adopted.splice(0).map(closeServer));
    await this.reconcile(endpoint);
  }

  runtime(instanceId: string): InstanceRuntime | undefined {
    return this.endpoints.get(instanceId)?.runtime;
  }

  has(instanceId: string): boolean {
    return this.endpoints.has(instanceId);
  }

  /** The URL an SDK should use, or null while the instance is not running. */
  url(instanceId: string): string | null {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined || !endpoint.listening) return null;
    return formatUrl(endpoint.address);
  }

  /** The instance's IPv6 endpoint while HttpProtocolIpv6=enabled (and it runs), else null. */
  ipv6Url(instanceId: string): string | null {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined || !endpoint.listening6 || endpoint.address6 === null) return null;
    return formatUrl(endpoint.address6);
  }

  instanceIds(): string[] {
    return [...this.endpoints.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.endpoints.keys()].map((id) => this.detach(id)));
  }

  /** Brings both listeners in line with the record, the IPv6 option and any refusing outage. */
  private reconcile(endpoint: Endpoint): Promise<void> {
    const step = async () => {
      const record = endpoint.runtime.record;
      const serving = !endpoint.detached && !endpoint.refusing && servesMetadata(record);
      const serving6 = serving && record.metadataOptions.httpProtocolIpv6 === "enabled";
      if (serving && !endpoint.listening) {
        // Keep the port across stop/start, as an instance keeps its address.
        endpoint.address = await listenAt(endpoint.server, endpoint.address);
        endpoint.listening = true;
      } else if (!serving && endpoint.listening) {
        endpoint.listening = false;
        await closeServer(endpoint.server);
      }
      if (serving6 && !endpoint.listening6) {
        await this.listen6(endpoint);
      } else if (!serving6 && endpoint.listening6) {
        // HttpProtocolIpv6=disabled: the IPv6 endpoint refuses connections (docs/behaviour.md#ipv6-endpoint).
        endpoint.listening6 = false;
        await closeServer(endpoint.server6);
      }
    };
    const next = endpoint.queue.then(step, step);
    endpoint.queue = next.catch(() => undefined);
    return next;
  }

  private async listen6(endpoint: Endpoint): Promise<void> {
    const shared = this.ipv6.primaryIpv4Host !== undefined && this.ipv6.primaryIpv4Host === endpoint.address.host;
    const wanted = endpoint.address6 ?? { host: this.ipv6.host, port: shared ? endpoint.address.port : 0 };
    try {
      endpoint.address6 = await listenAt(endpoint.server6, wanted);
    } catch (err) {
      // The preferred port is taken on IPv6 (or the instance listens on IPv6 already): any port will do.
      if ((err as NodeJS.ErrnoException).code !== "EADDRINUSE" || wanted.port === 0) return;
      try {
        endpoint.address6 = await listenAt(endpoint.server6, { host: wanted.host, port: 0 });
      } catch {
        return;
      }
    }
    endpoint.listening6 = true;
  }
}

function formatUrl({ host, port }: EndpointAddress): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}
