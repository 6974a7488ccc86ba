import { createServer, ServerResponse, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import type { InstanceNotices } from "../domain/catalogue/instance-catalogue.ts";
import type { TokenMac } from "../domain/tokens/session-token.ts";
import { errorPage, MAX_HEADER_BYTES } from "./constants.ts";
import { InstanceRuntime, type CredentialSource, type SignatureSource } from "./instance-runtime.ts";
import { createImdsRequestHandler, type ImdsAccessEvent } from "./request-handler.ts";

export interface EndpointAddress {
  readonly host: string;
  readonly port: number;
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
}

interface Endpoint {
  readonly runtime: InstanceRuntime;
  readonly server: Server;
  address: EndpointAddress;
  listening: boolean;
}

/** EC2 serves an instance's metadata only while it runs; a stopped instance's endpoint is gone. */
function servesMetadata(record: InstanceRecord): boolean {
  return record.state === "running" || record.state === "pending" || record.state === "stopping" || record.state === "shutting-down";
}

/**
 * Every instance's IMDS endpoint: one HTTP listener per instance on its own loopback address
 * (or port), whose requests are answered from that instance's runtime alone.
 */
export class ImdsHost {
  private readonly endpoints = new Map<string, Endpoint>();

  constructor(private readonly deps: ImdsHostDeps) {}

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
    });
    const server = createServer(
      {
        maxHeaderSize: MAX_HEADER_BYTES,
        keepAliveTimeout: 5_000,
        headersTimeout: 10_000,
        requestTimeout: 15_000,
        // Without Host node sends its own bare 400 (no Server: EC2ws); IMDS is reached by address.
        requireHostHeader: false,
      },
      handler,
    );
    server.on("clientError", answerClientError);
    // node answers any Expect but 100-continue with its own 417; the decision table answers instead.
    server.on("checkExpectation", handler);
    // CONNECT never reaches "request": with no listener node drops the connection unanswered.
    server.on("connect", (req: IncomingMessage, socket: Duplex) => answerConnect(handler, req, socket as Socket));
    const endpoint: Endpoint = { runtime, server, address, listening: false };
    this.endpoints.set(record.instanceId, endpoint);
    if (servesMetadata(record)) await this.listen(endpoint);
    return endpoint.address;
  }

  /** Applies a changed record (options, tags, state) to the live endpoint at once. */
  async update(record: InstanceRecord, notices?: InstanceNotices): Promise<void> {
    const endpoint = this.endpoints.get(record.instanceId);
    if (endpoint === undefined) return;
    endpoint.runtime.update(record, notices);
    if (servesMetadata(record) && !endpoint.listening) await this.listen(endpoint);
    else if (!servesMetadata(record) && endpoint.listening) await this.unlisten(endpoint);
  }

  setNotices(instanceId: string, notices: InstanceNotices): void {
    this.endpoints.get(instanceId)?.runtime.setNotices(notices);
  }

  async detach(instanceId: string): Promise<void> {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined) return;
    this.endpoints.delete(instanceId);
    if (endpoint.listening) await this.unlisten(endpoint);
  }

  runtime(instanceId: string): InstanceRuntime | undefined {
    return this.endpoints.get(instanceId)?.runtime;
  }

  /** The URL an SDK should use, or null while the instance is not running. */
  url(instanceId: string): string | null {
    const endpoint = this.endpoints.get(instanceId);
    if (endpoint === undefined || !endpoint.listening) return null;
    const { host, port } = endpoint.address;
    return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  /** The instance's IPv6 endpoint while HttpProtocolIpv6=enabled, else null (not served yet). */
  ipv6Url(_instanceId: string): string | null {
    return null;
  }

  instanceIds(): string[] {
    return [...this.endpoints.keys()];
  }

  async close(): Promise<void> {
    await Promise.all([...this.endpoints.keys()].map((id) => this.detach(id)));
  }

  private listen(endpoint: Endpoint): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      endpoint.server.once("error", onError);
      endpoint.server.listen(endpoint.address.port, endpoint.address.host, () => {
        endpoint.server.off("error", onError);
        const bound = endpoint.server.address() as AddressInfo;
        // Keep the port across stop/start, as an instance keeps its address.
        endpoint.address = { host: endpoint.address.host, port: bound.port };
        endpoint.listening = true;
        resolve();
      });
    });
  }

  private unlisten(endpoint: Endpoint): Promise<void> {
    endpoint.listening = false;
    return new Promise((resolve) => {
      endpoint.server.close(() => resolve());
      endpoint.server.closeAllConnections();
    });
  }
}

/** CONNECT goes through the same decision table as every other method (405, or 403 when disabled). */
function answerConnect(handler: RequestListener, req: IncomingMessage, socket: Socket): void {
  // node removed its own error handling from this socket before handing it over.
  socket.on("error", () => socket.destroy());
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.on("finish", () => {
    res.detachSocket(socket);
    socket.end();
  });
  handler(req, res);
}

/** Malformed HTTP and oversized headers get a defined answer, then the connection closes. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Bytes after a request whose answer is already on the wire: a second answer would corrupt the
  // first (node's default handler makes the same check), so the connection just ends after it.
  if ((socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage?.headersSent) {
    socket.end();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const body = errorPage(status, tooLarge ? "Request Header Fields Too Large" : "Bad Request");
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `Content-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body, "latin1")}\r\nServer: EC2ws\r\nConnection: close\r\n\r\n${body}`,
  );
}
