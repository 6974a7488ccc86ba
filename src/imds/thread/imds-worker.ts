/**
 * The IMDS worker thread: every instance's endpoint (an `ImdsHost`) runs here, so a busy main
 * thread (EC2 API, dashboard, toolkit, filters) cannot delay an IMDS answer. It answers from what
 * the main thread sent it: records, notices, faults, the token key and the signing keys.
 */
import { getPriority, setPriority } from "node:os";
import { networkInterfaces } from "node:os";
import { isMainThread, parentPort, workerData, type MessagePort } from "node:worker_threads";
import type { IdentitySigner, SigningAuthorityMaterial } from "../../crypto/identity-signer.ts";
import type { InstanceRecord } from "../../domain/instance/instance.ts";
import { createNonceSource, createTokenMac, systemRandom } from "../../platform/crypto.ts";
import { CredentialIssuer } from "../../app/credential-issuer.ts";
import { newFaultStats } from "../active-fault.ts";
import { createHopLimitEnforcer } from "../hop-limit.ts";
import { ImdsHost } from "../imds-host.ts";
import type { CredentialDelivery, CredentialSource, IdentitySignatures, SignatureSource } from "../instance-runtime.ts";
import { loadIpTtl } from "../ip-ttl.ts";
import { CallerIdentifier } from "../../observe/caller-identifier.ts";
import { ProcessAttributor } from "../../observe/process-attributor.ts";
import { loadSockDiag } from "../../observe/sock-diag.ts";
import { AccessBatcher, type AccessBatch } from "./access-batch.ts";
import { serializeError, type EndpointState, type FromWorker, type ToWorker, type WorkerInit, type WorkerRequest } from "./messages.ts";

/** Role credentials issued here and announced to the main thread before they are answered. */
function announcingCredentials(port: MessagePort): CredentialSource {
  const issuer = new CredentialIssuer(systemRandom);
  return {
    credentials(instance: InstanceRecord, kind: "role" | "identity", delivery: CredentialDelivery, nowMs: number) {
      const before = issuer.issuedFor(instance.instanceId, kind, delivery);
      const answer = issuer.credentials(instance, kind, delivery, nowMs);
      const after = issuer.issuedFor(instance.instanceId, kind, delivery);
      if (after !== undefined && after !== before) port.postMessage(after);
      return answer;
    },
  };
}

/** Signs in this thread with the keys the main thread keeps in the store, asked for on first use. */
function signerWithKeysFrom(requestMaterial: () => Promise<SigningAuthorityMaterial>): SignatureSource {
  let signer: Promise<IdentitySigner> | null = null;
  return {
    sign(document: string): Promise<IdentitySignatures> {
      if (signer === null) {
        // pkijs and asn1js load with the first signature, not while the worker starts (docs/cli.md, "Start-up").
        const loading = requestMaterial().then(async (material) => (await import("../../crypto/identity-signer.ts")).createIdentitySigner(material));
        signer = loading;
        // A failure is retried on the next request rather than kept.
        loading.catch(() => {
          if (signer === loading) signer = null;
        });
      }
      return signer.then((s) => s.sign(document));
    },
  };
}

export function serveImdsInWorker(port: MessagePort, init: WorkerInit): void {
  const post = (message: FromWorker) => port.postMessage(message);
  const callers =
    init.identifyCallers && process.platform === "linux"
      ? new CallerIdentifier({
          attributor: new ProcessAttributor(),
          sockDiag: loadSockDiag(),
          onLate: (socket) => batcher.release(socket),
          localAddresses: Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
        })
      : null;
  const batcher = new AccessBatcher(
    (batch: AccessBatch) => post(batch),
    new Int32Array(init.accessShared),
    (socket) => callers?.resultFor(socket),
    (socket) => callers?.isLate(socket) ?? false,
  );
  const materialRequests = new Map<number, { resolve: (m: SigningAuthorityMaterial) => void; reject: (err: Error) => void }>();
  let nextMaterialRequest = 1;
  const native = loadIpTtl();
  const host = new ImdsHost({
    nowMs: Date.now,
    tokenMac: createTokenMac(init.tokenKey),
    nonce: createNonceSource(),
    credentials: announcingCredentials(init.credentialPort),
    signer: signerWithKeysFrom(
      () =>
        new Promise((resolve, reject) => {
          const requestId = nextMaterialRequest++;
          materialRequests.set(requestId, { resolve, reject });
          post({ type: "material-request", requestId });
        }),
    ),
    connectionClose: init.connectionClose,
    ...(init.reportAccess ? { onAccess: (event) => batcher.add(event, Date.now()) } : {}),
    ...(callers !== null ? { identifyCaller: (socket) => callers.identify(socket) } : {}),
    hopLimit: createHopLimitEnforcer({ mode: init.hopLimit.mode, simulatedNetworks: init.hopLimit.simulatedNetworks, ipTtl: native }),
    ...(native?.acceptPending !== undefined ? { pendingAccepts: { acceptPending: native.acceptPending.bind(native) } } : {}),
    ipv6: init.ipv6,
  });

  const state = (instanceId: string): EndpointState | null => {
    if (host.runtime(instanceId) === undefined) return null;
    return { url: host.url(instanceId), ipv6Url: host.ipv6Url(instanceId) };
  };

  async function handle(request: WorkerRequest): Promise<FromWorker> {
    switch (request.type) {
      case "attach": {
        const record = request.record;
        const address = await host.attach(record, request.address, request.notices);
        host.runtime(record.instanceId)!.shareCounters(new Float64Array(request.cells));
        return { type: "reply", id: request.id, ok: true, address, endpoint: state(record.instanceId) };
      }
      case "update":
        await host.update(request.record, request.notices);
        return { type: "reply", id: request.id, ok: true, endpoint: state(request.record.instanceId) };
      case "fault":
        await host.setFault(request.instanceId, request.spec, request.stats === null ? undefined : newFaultStats(request.stats));
        return { type: "reply", id: request.id, ok: true, endpoint: state(request.instanceId) };
      case "detach":
        await host.detach(request.instanceId);
        return { type: "reply", id: request.id, ok: true, endpoint: null };
      case "warm":
        await host.runtime(request.instanceId)?.warmSignatures();
        return { type: "reply", id: request.id, ok: true };
      case "adopt":
        await host.adoptListener(request.instanceId, { fd: request.fd }, request.family);
        return { type: "reply", id: request.id, ok: true };
      case "flush":
        batcher.flush();
        return { type: "reply", id: request.id, ok: true };
      case "close":
        await host.close();
        batcher.flush();
        return { type: "reply", id: request.id, ok: true };
    }
  }

  port.on("message", (message: ToWorker) => {
    if (message.type === "notices") {
      host.setNotices(message.instanceId, message.notices);
      return;
    }
    if (message.type === "material") {
      const pending = materialRequests.get(message.requestId);
      materialRequests.delete(message.requestId);
      if (message.material !== undefined) pending?.resolve(message.material);
      else pending?.reject(new Error(message.error ?? "no signing keys"));
      return;
    }
    handle(message).then(post, (err: unknown) => post({ type: "reply", id: message.id, ok: false, error: serializeError(err) }));
  });
}

/**
 * Where allowed (CAP_SYS_NICE, e.g. root in a container), the IMDS thread runs at a higher
 * priority than the API thread, so on a busy core the kernel hands it the CPU as soon as a
 * request arrives. Linux keeps a nice value per thread; elsewhere, or without the privilege, the
 * priority stays as it was.
 */
function raiseThreadPriority(): void {
  try {
    setPriority(getPriority() - IMDS_THREAD_PRIORITY_BOOST);
  } catch {
    // EACCES without the privilege: the thread keeps the process's priority.
  }
}

const IMDS_THREAD_PRIORITY_BOOST = 5;

if (!isMainThread && parentPort !== null && (workerData as { imdsWorker?: WorkerInit } | null)?.imdsWorker !== undefined) {
  raiseThreadPriority();
  serveImdsInWorker(parentPort, (workerData as { imdsWorker: WorkerInit }).imdsWorker);
}
