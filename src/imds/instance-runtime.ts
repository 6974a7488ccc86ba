import type { InstanceRecord } from "../domain/instance/instance.ts";
import { buildInstanceCatalogue, type InstanceNotices } from "../domain/catalogue/instance-catalogue.ts";
import { findNode, listDirectory, type DynamicLeafKind, type MetadataDirectory } from "../domain/catalogue/tree.ts";
import { isMetadataVersion, METADATA_VERSIONS } from "../domain/catalogue/versions.ts";
import type { FaultSpec } from "../domain/faults/fault-script.ts";
import { compileFault, type ActiveFault, type FaultStats } from "./active-fault.ts";
import {
  httpDate,
  prepareBinary,
  prepareErrorResponses,
  prepareText,
  type ErrorResponses,
  type PreparedResponse,
  type PrepareOptions,
} from "./prepared-response.ts";

export type CredentialDelivery = "v1" | "v2";

/** Role and instance-identity credentials, rotated by the caller's clock. */
export interface CredentialSource {
  credentials(
    instance: InstanceRecord,
    kind: "role" | "identity",
    delivery: CredentialDelivery,
    nowMs: number,
  ): { readonly body: string; readonly refreshAtMs: number };
}

export interface IdentitySignatures {
  readonly pkcs7: string;
  readonly signature: string;
  readonly rsa2048: string;
}

export interface SignatureSource {
  sign(document: string): Promise<IdentitySignatures>;
}

/** What a GET resolves to: bytes ready to write, a leaf computed per request, or nothing (404). */
export type ResolvedPath =
  | { readonly kind: "static"; readonly response: PreparedResponse }
  | { readonly kind: "dynamic"; readonly leaf: DynamicLeafKind };

/** Per-instance counters with the meaning of EC2's CloudWatch metrics. */
export interface ImdsCounters {
  /** Successful requests without a token (MetadataNoToken). */
  metadataNoToken: number;
  /** Token-less requests refused because HttpTokens=required (MetadataNoTokenRejected). */
  metadataNoTokenRejected: number;
  /** Successful requests with a valid token. */
  metadataWithToken: number;
  tokensIssued: number;
  invalidTokens: number;
}

/** Slots of `InstanceRuntime.cells`, the counters the request path increments. */
export const enum Counter {
  MetadataNoToken = 0,
  MetadataNoTokenRejected = 1,
  MetadataWithToken = 2,
  TokensIssued = 3,
  InvalidTokens = 4,
  TokenResponsesWithheld = 5,
}
export const COUNTER_SLOTS = 6;

/** The counters as plain numbers, read from the cells at the time of the call. */
export function countersOf(cells: Float64Array): ImdsCounters {
  return {
    metadataNoToken: cells[Counter.MetadataNoToken]!,
    metadataNoTokenRejected: cells[Counter.MetadataNoTokenRejected]!,
    metadataWithToken: cells[Counter.MetadataWithToken]!,
    tokensIssued: cells[Counter.TokensIssued]!,
    invalidTokens: cells[Counter.InvalidTokens]!,
  };
}

const CACHE_LIMIT = 4096;
const TOKEN_CACHE_LIMIT = 100_000;

/**
 * One instance as its IMDS endpoint sees it. Everything a request needs is precomputed or cached
 * here so the request path does no I/O and builds no response twice; `update` swaps the data in
 * place when the configuration plane changes the instance.
 */
export class InstanceRuntime {
  record!: InstanceRecord;
  tokensRequired = false;
  endpointDisabled = false;
  readonly errors: ErrorResponses;
  /**
   * The counters (slots: `Counter`), one typed-array increment on the request path. Over a
   * SharedArrayBuffer when the host runs in a worker, so the main thread reads them at scrape time
   * without a message (src/imds/thread).
   */
  cells: Float64Array;
  /** The injected fault, or null: the request path's only cost when none is set is this check. */
  fault: ActiveFault | null = null;
  /** Tokens already verified for this instance, with their expiry (ms). */
  readonly validTokens = new Map<string, number>();

  private notices: InstanceNotices = {};
  private root: MetadataDirectory | null = null;
  private readonly paths = new Map<string, ResolvedPath>();
  private readonly dynamic = new Map<string, { response: PreparedResponse; refreshAtMs: number }>();
  private signatures: Promise<IdentitySignatures> | null = null;
  private prepareOptions!: PrepareOptions;

  constructor(
    record: InstanceRecord,
    private readonly deps: {
      readonly credentials: CredentialSource;
      readonly signer: SignatureSource;
      readonly connectionClose: boolean;
    },
    notices: InstanceNotices = {},
    cells: Float64Array = new Float64Array(COUNTER_SLOTS),
  ) {
    this.cells = cells;
    this.update(record, notices);
    this.errors = prepareErrorResponses(this.prepareOptions);
  }

  /** Moves the counters into `cells` (shared with the main thread), keeping what was counted so far. */
  shareCounters(cells: Float64Array): void {
    cells.set(this.cells);
    this.cells = cells;
  }

  /** A snapshot of the counters with the meaning of EC2's CloudWatch metrics. */
  get counters(): ImdsCounters {
    return countersOf(this.cells);
  }

  /** Token PUTs left unanswered because the caller is farther than HttpPutResponseHopLimit. */
  get tokenResponsesWithheld(): number {
    return this.cells[Counter.TokenResponsesWithheld]!;
  }

  update(record: InstanceRecord, notices: InstanceNotices = this.notices): void {
    const documentChanged = this.record === undefined || identityFieldsDiffer(this.record, record);
    this.record = record;
    this.notices = notices;
    this.tokensRequired = record.metadataOptions.httpTokens === "required";
    this.endpointDisabled = record.metadataOptions.httpEndpoint === "disabled";
    this.prepareOptions = { lastModified: httpDate(record.launchTime), connectionClose: this.deps.connectionClose };
    this.root = null;
    this.paths.clear();
    this.dynamic.clear();
    if (documentChanged) this.signatures = null;
  }

  setNotices(notices: InstanceNotices): void {
    this.update(this.record, notices);
  }

  setFault(spec: FaultSpec | null, nowMs: number, stats?: FaultStats): void {
    this.fault = spec === null ? null : compileFault(spec, this.prepareOptions, nowMs, stats);
  }

  /** A 200 text/plain answer with this instance's headers (the token PUT). */
  textResponse(text: string): PreparedResponse {
    return prepareText(text, this.prepareOptions);
  }

  rememberToken(token: string, expiresAtMs: number): void {
    if (this.validTokens.size >= TOKEN_CACHE_LIMIT) this.validTokens.clear();
    this.validTokens.set(token, expiresAtMs);
  }

  /** Resolves a request path (query already removed) to a response, or null for 404. */
  resolve(rawPath: string): ResolvedPath | null {
    const hit = this.paths.get(rawPath);
    if (hit !== undefined) return hit;
    const resolved = this.resolveUncached(rawPath);
    if (resolved !== null && this.paths.size < CACHE_LIMIT) this.paths.set(rawPath, resolved);
    return resolved;
  }

  /** A dynamic leaf's response; only the identity signatures may need to wait, once per instance. */
  dynamicResponse(leaf: DynamicLeafKind, delivery: CredentialDelivery, nowMs: number): PreparedResponse | Promise<PreparedResponse> {
    if (leaf === "role-credentials" || leaf === "identity-credentials") {
      const kind = leaf === "role-credentials" ? "role" : "identity";
      const key = `${kind}:${delivery}`;
      const cached = this.dynamic.get(key);
      if (cached !== undefined && nowMs < cached.refreshAtMs) return cached.response;
      const fresh = this.deps.credentials.credentials(this.record, kind, delivery, nowMs);
      const response = prepareText(fresh.body, this.prepareOptions);
      this.dynamic.set(key, { response, refreshAtMs: fresh.refreshAtMs });
      return response;
    }
    const cached = this.dynamic.get(leaf);
    if (cached !== undefined) return cached.response;
    const pending = this.identitySignatures();
    return pending.then((s) => {
      const value = leaf === "identity-pkcs7" ? s.pkcs7 : leaf === "identity-rsa2048" ? s.rsa2048 : s.signature;
      const response = prepareText(value, this.prepareOptions);
      // An update that changed the document while this signing ran must not keep the old signature.
      if (this.signatures === pending) this.dynamic.set(leaf, { response, refreshAtMs: Number.POSITIVE_INFINITY });
      return response;
    });
  }

  /** Starts signing the identity document now, so the first request for it does not wait. */
  warmSignatures(): Promise<IdentitySignatures> {
    return this.identitySignatures();
  }

  private identitySignatures(): Promise<IdentitySignatures> {
    if (this.signatures === null) {
      const document = this.resolveUncached("/latest/dynamic/instance-identity/document");
      const text = document?.kind === "static" ? document.response.body.toString("utf8") : "";
      const signing = this.deps.signer.sign(text);
      this.signatures = signing;
      // A failed signing is retried on the next request rather than cached.
      signing.catch(() => {
        if (this.signatures === signing) this.signatures = null;
      });
    }
    return this.signatures;
  }

  private catalogue(): MetadataDirectory {
    if (this.root === null) this.root = buildInstanceCatalogue(this.record, this.notices);
    return this.root;
  }

  private resolveUncached(rawPath: string): ResolvedPath | null {
    const segments: string[] = [];
    for (const part of rawPath.split("/")) {
      if (part.length === 0) continue;
      if (part.includes("%")) {
        try {
          segments.push(decodeURIComponent(part));
        } catch {
          return null;
        }
      } else {
        segments.push(part);
      }
    }
    if (segments.length === 0) return { kind: "static", response: prepareText(METADATA_VERSIONS.join("\n"), this.prepareOptions) };
    const version = segments[0]!;
    if (!isMetadataVersion(version)) return null;
    const node = findNode(this.catalogue(), segments.slice(1), version);
    if (node === null) return null;
    if (node.kind === "dir") return { kind: "static", response: prepareText(listDirectory(node, version), this.prepareOptions) };
    if (typeof node.value !== "string") return { kind: "dynamic", leaf: node.value.dynamic };
    const response = node.binary
      ? prepareBinary(Buffer.from(node.value, "latin1"), this.prepareOptions)
      : prepareText(node.value, this.prepareOptions);
    return { kind: "static", response };
  }
}

function identityFieldsDiffer(a: InstanceRecord, b: InstanceRecord): boolean {
  return (
    a.instanceId !== b.instanceId ||
    a.accountId !== b.accountId ||
    a.imageId !== b.imageId ||
    a.instanceType !== b.instanceType ||
    a.privateIpv4 !== b.privateIpv4 ||
    a.availabilityZone !== b.availabilityZone ||
    a.launchTime !== b.launchTime ||
    a.architecture !== b.architecture
  );
}
