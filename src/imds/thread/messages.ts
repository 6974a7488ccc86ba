/**
 * The protocol between the main thread's `ImdsThreadHost` and the IMDS worker. Every request
 * carries an id and gets one reply, in order, on the worker's port; access batches travel on the
 * same port, so a reply to "flush" arrives after every batch posted before it.
 */
import type { InstanceNotices } from "../../domain/catalogue/instance-catalogue.ts";
import type { FaultSpec } from "../../domain/faults/fault-script.ts";
import type { InstanceRecord } from "../../domain/instance/instance.ts";
import type { SigningAuthorityMaterial } from "../../crypto/identity-signer.ts";
import type { EndpointAddress } from "../endpoint-server.ts";
import type { HopLimitMode } from "../hop-limit.ts";
import type { Ipv6Options } from "../imds-host.ts";
import type { MessagePort } from "node:worker_threads";
import type { AccessBatch } from "./access-batch.ts";

export interface WorkerInit {
  /** The key of the session-token MAC. */
  readonly tokenKey: Uint8Array;
  readonly connectionClose: boolean;
  readonly hopLimit: { readonly mode: HopLimitMode; readonly simulatedNetworks: string | undefined };
  readonly ipv6: Ipv6Options;
  /** Whether answered requests are reported at all (the access log may be off). */
  readonly reportAccess: boolean;
  /** Whether token-less callers are named before their answer (src/observe/caller-identifier.ts). */
  readonly identifyCallers: boolean;
  /** Int32Array slots (AccessSlot) shared with the main thread. */
  readonly accessShared: SharedArrayBuffer;
  /** Where issued role credentials are announced (the main thread's CredentialMirror). */
  readonly credentialPort: MessagePort;
}

export type WorkerRequest =
  | { readonly type: "attach"; readonly id: number; readonly record: InstanceRecord; readonly address: EndpointAddress; readonly notices?: InstanceNotices | undefined; readonly cells: SharedArrayBuffer }
  | { readonly type: "update"; readonly id: number; readonly record: InstanceRecord; readonly notices?: InstanceNotices | undefined }
  | { readonly type: "fault"; readonly id: number; readonly instanceId: string; readonly spec: FaultSpec | null; readonly stats: SharedArrayBuffer | null }
  | { readonly type: "detach"; readonly id: number; readonly instanceId: string }
  | { readonly type: "warm"; readonly id: number; readonly instanceId: string }
  | { readonly type: "adopt"; readonly id: number; readonly instanceId: string; readonly fd: number; readonly family: "ipv4" | "ipv6" }
  | { readonly type: "flush"; readonly id: number }
  | { readonly type: "close"; readonly id: number };

/** Messages without a reply. */
export type WorkerNotice =
  | { readonly type: "notices"; readonly instanceId: string; readonly notices: InstanceNotices }
  | { readonly type: "material"; readonly requestId: number; readonly material?: SigningAuthorityMaterial; readonly error?: string };

export type ToWorker = WorkerRequest | WorkerNotice;

/** Where an instance answers after a request, for the main thread's synchronous url()/ipv6Url(). */
export interface EndpointState {
  readonly url: string | null;
  readonly ipv6Url: string | null;
}

export interface SerializedError {
  readonly message: string;
  readonly code?: string;
  readonly errno?: number;
  readonly syscall?: string;
  readonly address?: string;
  readonly port?: number;
}

export type WorkerReply =
  | { readonly type: "reply"; readonly id: number; readonly ok: true; readonly endpoint?: EndpointState | null; readonly address?: EndpointAddress }
  | { readonly type: "reply"; readonly id: number; readonly ok: false; readonly error: SerializedError };

export type FromWorker = WorkerReply | AccessBatch | { readonly type: "material-request"; readonly requestId: number };

export function serializeError(err: unknown): SerializedError {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  return {
    message: e.message,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.errno !== undefined ? { errno: e.errno } : {}),
    ...(e.syscall !== undefined ? { syscall: e.syscall } : {}),
    ...(e.address !== undefined ? { address: e.address } : {}),
    ...(e.port !== undefined ? { port: e.port } : {}),
  };
}

/** The error as the caller would have seen it in-thread (EADDRINUSE keeps its code, address and port). */
export function deserializeError(s: SerializedError): Error {
  return Object.assign(new Error(s.message), s);
}
