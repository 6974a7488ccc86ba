import { ImdsHost } from "../../src/imds/imds-host.ts";
import { ManualClock } from "../../src/platform/clock.ts";
import { createNonceSource, createTokenMac, type RandomSource } from "../../src/platform/crypto.ts";
import { CredentialIssuer } from "../../src/app/credential-issuer.ts";
import { EndpointAllocator } from "../../src/app/endpoint-allocator.ts";
import { createApplication, type Application } from "../../src/app/application.ts";
import { createIdSource } from "../../src/app/instance-factory.ts";
import { StateStore } from "../../src/store/state-store.ts";
import { createQueryApi } from "../../src/ec2/query-api.ts";
import type { ScheduledEventsQuery } from "../../src/app/ports.ts";
import { XMLParser } from "fast-xml-parser";

/** A deterministic random source: the same seed gives the same ids, so goldens stay stable. */
export function seededRandom(seed = 42): RandomSource {
  let state = seed >>> 0;
  return {
    bytes(count) {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        out[i] = state >>> 24;
      }
      return out;
    },
  };
}

export interface Ec2Harness {
  /** The use cases, as the EC2 actions get them. */
  readonly services: Application;
  readonly optionsApplyDelayMs: number;
  readonly clock: ManualClock;
  readonly host: ImdsHost;
  readonly store: StateStore;
  /** Sends one EC2 Query call in-process, as the CLI would send it (form fields). */
  call(action: string, params?: Record<string, string>, options?: { region?: string; accessKeyId?: string }): Promise<{ status: number; body: string; xml: any }>;
  close(): Promise<void>;
}

/**
 * The configuration plane wired as main.ts wires it, in memory, with a manual clock, seeded ids
 * and instance endpoints on 127.0.0.1 with free ports.
 */
export async function createEc2Harness(
  options: { path?: string; seed?: number; clock?: ManualClock; optionsApplyDelayMs?: number; events?: ScheduledEventsQuery } = {},
): Promise<Ec2Harness> {
  const clock = options.clock ?? new ManualClock();
  const random = seededRandom(options.seed ?? 42);
  const store = new StateStore({ path: options.path ?? ":memory:" });
  const host = new ImdsHost({
    nowMs: () => clock.nowMs(),
    tokenMac: createTokenMac(new Uint8Array(32)),
    nonce: createNonceSource(),
    credentials: new CredentialIssuer(random),
    signer: { sign: async () => ({ pkcs7: "PKCS7", signature: "SIGNATURE", rsa2048: "RSA2048" }) },
  });
  const ids = createIdSource(random);
  // Port 0 on 127.0.0.1: every instance gets its own free port, nothing else to set up.
  const allocator = new EndpointAllocator(0, "127.0.0.1");
  allocator.forOrdinal = () => ({ host: "127.0.0.1", port: 0 });
  const services = createApplication({
    ...store.repositoryPorts(),
    endpoints: host,
    allocator,
    clock,
    ids,
    optionsApplyDelayMs: options.optionsApplyDelayMs ?? 2000,
    ...(options.events === undefined ? {} : { events: options.events }),
  });
  let n = 0;
  const api = createQueryApi({ services, newRequestId: () => `req-${String(++n).padStart(4, "0")}` });
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === "item" });
  return {
    services,
    optionsApplyDelayMs: options.optionsApplyDelayMs ?? 2000,
    clock,
    host,
    store,
    async call(action, params = {}, callOptions = {}) {
      const body = new URLSearchParams({ Action: action, Version: "2016-11-15", ...params }).toString();
      const headers: Record<string, string> = {};
      if (callOptions.region !== undefined || callOptions.accessKeyId !== undefined) {
        headers.authorization = `AWS4-HMAC-SHA256 Credential=${callOptions.accessKeyId ?? "AKIDEXAMPLE"}/20261129/${callOptions.region ?? "us-east-1"}/ec2/aws4_request, SignedHeaders=host, Signature=0`;
      }
      const result = await api.handle(headers, "", Buffer.from(body));
      return { status: result.status, body: result.body, xml: parser.parse(result.body) };
    },
    async close() {
      await host.close();
      store.close();
    },
  };
}
