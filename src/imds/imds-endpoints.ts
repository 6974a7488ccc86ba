import type { InstanceNotices } from "../domain/catalogue/instance-catalogue.ts";
import type { FaultSpec } from "../domain/faults/fault-script.ts";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import type { FaultStats } from "./active-fault.ts";
import type { EndpointAddress } from "./endpoint-server.ts";
import type { ImdsCounters } from "./instance-runtime.ts";

/** What the rest of the emulator reads of one instance's live endpoint. */
export interface ImdsRuntimeView {
  readonly counters: ImdsCounters;
  readonly tokenResponsesWithheld: number;
  /** Starts signing the identity document now, so its first reader does not wait. */
  warmSignatures(): Promise<unknown>;
}

/**
 * Every instance's IMDS endpoint, as the composition root and the features use it. Two
 * implementations: `ImdsHost` in the calling thread (unit tests), and `ImdsThreadHost`, which
 * runs an `ImdsHost` in a worker thread so nothing the API does can delay an IMDS answer
 * (docs/ARCHITECTURE.md, "The IMDS thread").
 */
export interface ImdsEndpoints {
  /** Serves `record` at `address` (port 0 picks a free port); resolves to the bound address once it answers. */
  attach(record: InstanceRecord, address: EndpointAddress, notices?: InstanceNotices): Promise<EndpointAddress>;
  /** Applies a changed record; resolves once the endpoint answers with it. */
  update(record: InstanceRecord, notices?: InstanceNotices): Promise<void>;
  setNotices(instanceId: string, notices: InstanceNotices): void;
  setFault(instanceId: string, spec: FaultSpec | null, stats?: FaultStats): Promise<void>;
  faultStats(instanceId: string): FaultStats | null;
  hopLimitMode(): string;
  /**
   * Serves the instance also on a listening socket opened elsewhere (`imds-lab run`'s network
   * namespace): `handle` is a TCP handle received from another process, or `{ fd }`.
   */
  adoptListener(instanceId: string, handle: object, family: "ipv4" | "ipv6"): Promise<void>;
  detach(instanceId: string): Promise<void>;
  /** True while the instance has an endpoint, listening or not. */
  has(instanceId: string): boolean;
  runtime(instanceId: string): ImdsRuntimeView | undefined;
  url(instanceId: string): string | null;
  ipv6Url(instanceId: string): string | null;
  instanceIds(): string[];
  /** Resolves once every request answered so far reached the access hook (a no-op in-thread). */
  flushAccesses?(): Promise<void>;
  close(): Promise<void>;
}
