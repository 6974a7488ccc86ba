/**
 * In-process IMDS for tests: an ImdsHost on 127.0.0.1 port 0 driven by a ManualClock, with
 * deterministic ids, credentials and token MAC key, and a fake identity signer.
 */
import type { InstanceRecord } from "../../src/domain/instance/instance.ts";
import type { MetadataOptionsInput } from "../../src/domain/options/metadata-options.ts";
import { applyModification } from "../../src/domain/options/metadata-options.ts";
import { TOKEN_NONCE_BYTES } from "../../src/domain/tokens/session-token.ts";
import { ImdsHost } from "../../src/imds/imds-host.ts";
import type { SignatureSource } from "../../src/imds/instance-runtime.ts";
import type { ImdsAccessEvent } from "../../src/imds/request-handler.ts";
import { ManualClock } from "../../src/platform/clock.ts";
import { createTokenMac, type RandomSource } from "../../src/platform/crypto.ts";
import { CredentialIssuer } from "../../src/app/credential-issuer.ts";
import { buildInstanceRecord, createIdSource, type NewInstanceSpec } from "../../src/app/instance-factory.ts";

/** mulberry32: the same seed gives the same bytes, so ids and credentials are stable across runs. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) & 0xff;
  };
  return { bytes: (count) => Uint8Array.from({ length: count }, next) };
}

export const fakeSigner: SignatureSource = { sign: async () => ({ pkcs7: "P", signature: "S", rsa2048: "R" }) };

export const LAUNCH_TIME_MS = Date.UTC(2026, 10, 29, 12, 0, 0);

/** A running instance with fixed ids for `seed`; `spec` overrides the launch parameters. */
export function anInstance(spec: Partial<NewInstanceSpec> = {}, seed = 1): InstanceRecord {
  return buildInstanceRecord(
    {
      accountId: "123456789012",
      region: "us-east-1",
      imageId: "ami-0abcdef1234567890",
      instanceType: "m5.large",
      launchIndex: 0,
      reservationId: "r-0123456789abcdef0",
      launchTimeMs: LAUNCH_TIME_MS,
      ordinal: seed,
      ...spec,
    },
    createIdSource(seededRandom(seed)),
  );
}

/** The record with some metadata options changed (undefined keeps, as in a modification). */
export function withOptions(record: InstanceRecord, change: MetadataOptionsInput): InstanceRecord {
  return { ...record, metadataOptions: applyModification(record.metadataOptions, change) };
}

export interface TestImds {
  readonly host: ImdsHost;
  readonly clock: ManualClock;
  readonly credentials: CredentialIssuer;
  readonly accesses: ImdsAccessEvent[];
  /** Attaches `record` on 127.0.0.1 port 0 and returns its base URL. */
  attach(record: InstanceRecord): Promise<string>;
  port(instanceId: string): number;
  close(): Promise<void>;
}

export async function startTestImds(options: { signer?: SignatureSource; connectionClose?: boolean } = {}): Promise<TestImds> {
  const clock = new ManualClock(LAUNCH_TIME_MS);
  const credentials = new CredentialIssuer(seededRandom(42));
  const nonces = seededRandom(7);
  const accesses: ImdsAccessEvent[] = [];
  const host = new ImdsHost({
    nowMs: () => clock.nowMs(),
    tokenMac: createTokenMac(new Uint8Array(32).fill(9)),
    nonce: () => nonces.bytes(TOKEN_NONCE_BYTES),
    credentials,
    signer: options.signer ?? fakeSigner,
    connectionClose: options.connectionClose ?? false,
    onAccess: (event) => accesses.push(event),
  });
  const ports = new Map<string, number>();
  return {
    host,
    clock,
    credentials,
    accesses,
    async attach(record) {
      const address = await host.attach(record, { host: "127.0.0.1", port: 0 });
      ports.set(record.instanceId, address.port);
      return `http://127.0.0.1:${address.port}`;
    },
    port(instanceId) {
      const port = ports.get(instanceId);
      if (port === undefined) throw new Error(`${instanceId} is not attached`);
      return port;
    },
    close: () => host.close(),
  };
}
