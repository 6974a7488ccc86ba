import { readFileSync } from "node:fs";
import type { Server } from "node:http";
import { sendJson, startApiServer, type ApiRoute } from "./api/api-server.ts";
import { PATH_CERTIFICATE, PATH_HEALTH, PATH_INSTANCES, routeKey } from "./api/control-paths.ts";
import { adminAccess, callerSeesAccount } from "./api/admin-access.ts";
import type { MetadataOptionsInput } from "./domain/options/metadata-options.ts";
import type { ImdsEndpoints } from "./imds/imds-endpoints.ts";
import { ImdsThreadHost } from "./imds/thread/imds-thread-host.ts";
import { CredentialMirror } from "./imds/thread/credential-mirror.ts";
import { createHopLimitEnforcer } from "./imds/hop-limit.ts";
import { loadIpTtl } from "./imds/ip-ttl.ts";
import type { ImdsAccess } from "./imds/imds-access.ts";
import { systemClock, type Clock } from "./platform/clock.ts";
import { systemRandom, type RandomSource } from "./platform/crypto.ts";
import { EndpointAllocator } from "./app/endpoint-allocator.ts";
import { createApplication } from "./app/application.ts";
import type { Estate } from "./app/estate.ts";
import { IdentitySigning } from "./app/identity-signing.ts";
import { createIdSource } from "./app/instance-factory.ts";
import { defaultStatePath, type Settings } from "./config/settings.ts";
import { openStateStore } from "./store/open-state-store.ts";
import { createQueryApi } from "./ec2/query-api.ts";
import type { AppContext, Feature } from "./app/app-context.ts";
import { createObserveFeature } from "./observe/observe-feature.ts";
import type { NamespaceCallerRegistry } from "./observe/namespace-callers.ts";
import { createGovernFeature } from "./govern/govern-feature.ts";
import { createNoticesFeature } from "./notices/notices-feature.ts";
import { ScheduledEventBook } from "./notices/scheduled-event-book.ts";
import { createDashboardFeature } from "./dashboard/dashboard-feature.ts";
import { createCloudWatchFeature } from "./cloudwatch/cloudwatch-feature.ts";
import { SqliteMetricStore } from "./store/sqlite-metric-store.ts";

export interface RunningEmulator {
  readonly imdsUrl: string;
  readonly apiUrl: string;
  /** Further ready-line entries: `imdsIpv6` when the default instance serves IPv6, `dashboard`, ... */
  readonly readyEntries: Record<string, string>;
  readonly defaultInstanceId: string;
  readonly statePath: string;
  readonly estate: Estate;
  readonly host: ImdsEndpoints;
  readonly signing: IdentitySigning;
  close(): Promise<void>;
}

export interface EmulatorDeps {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly onAccess?: (access: ImdsAccess) => void;
  /** Callers inside `imds-lab run`'s namespaces, for attribution and the report (docs/run.md). */
  readonly namespaceCallers?: NamespaceCallerRegistry;
}

/** The composition root: the only place that builds concrete stores, servers and clocks. */
export async function startEmulator(settings: Settings, deps: EmulatorDeps = {}): Promise<RunningEmulator> {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? systemRandom;
  const statePath = settings.ephemeral ? ":memory:" : (settings.state ?? defaultStatePath());
  const store = openStateStore(statePath);
  const signing = new IdentitySigning(store);
  // Role credentials are issued in the IMDS thread; this mirror knows them for SigV4 verification.
  const credentials = new CredentialMirror(random);
  const observe = createObserveFeature({ clock, settings, ...(deps.namespaceCallers ? { namespaces: deps.namespaceCallers } : {}) });
  const features: Feature[] = [];
  // Validated here, so a bad --hop-limit-mode fails at start; the IMDS thread builds its own enforcer.
  const ipTtl = loadIpTtl();
  // Every instance holds a listening socket: the soft descriptor limit is the instance capacity (docs/behaviour.md#launches-all-or-nothing).
  const fileLimit = ipTtl?.raiseFileLimit?.();
  const hopLimit = createHopLimitEnforcer({ mode: settings.hopLimitMode, simulatedNetworks: settings.simulatedNetworks, ipTtl });
  // Every IMDS endpoint answers from its own thread (docs/ARCHITECTURE.md, "The IMDS thread"), on
  // the system clock: nothing the API does in this thread can delay an IMDS answer.
  const host = new ImdsThreadHost({
    credentials,
    signingMaterial: () => signing.material(),
    connectionClose: settings.connectionClose,
    onAccess: deps.onAccess ?? observe.onAccess,
    identifyCallers: settings.attributeCallers,
    hopLimit: { mode: settings.hopLimitMode, simulatedNetworks: settings.simulatedNetworks, description: hopLimit.description },
    // The default instance keeps the IMDS port on IPv6 loopback too; every other instance takes a free port.
    ipv6: { host: "::1", primaryIpv4Host: settings.imdsHost },
  });
  const ids = createIdSource(random);
  // Written by the notices feature, read by DescribeInstanceStatus.
  const scheduledEvents = new ScheduledEventBook();
  const app = createApplication({
    ...store.repositoryPorts(),
    endpoints: host,
    allocator: new EndpointAllocator(settings.imdsPort, settings.instanceAddressBase),
    clock,
    ids,
    optionsApplyDelayMs: settings.optionsApplyDelayMs,
    events: scheduledEvents,
  });
  const { estate } = app;
  let api: Server | undefined;
  try {
    for (const failure of await estate.restore()) {
      // The state file still loads; this one instance has no endpoint until it can be opened (docs/behaviour.md#launches-all-or-nothing).
      process.stderr.write(`imds-lab: instance ${failure.instanceId} has no IMDS endpoint: ${failure.reason}\n`);
    }
    const defaultInstance = await estate.ensureDefaultInstance({
      accountId: settings.accountId,
      region: settings.region,
      roleName: settings.roleName,
      endpoint: { host: settings.imdsHost, port: settings.imdsPort },
      options: startOptions(settings),
      userData: settings.userDataFile === undefined ? null : readFileSync(settings.userDataFile).toString("base64"),
    });
    const defaultInstanceId = defaultInstance.record.instanceId;
    const routes = new Map<string, ApiRoute>([
      [routeKey("GET", PATH_HEALTH), (_req, res) => sendJson(res, 200, { ok: true })],
      [
        routeKey("GET", PATH_INSTANCES),
        (req, res) =>
          sendJson(
            res,
            200,
            estate.listing((d) => callerSeesAccount(req, d.record.accountId)),
          ),
      ],
      [
        routeKey("GET", PATH_CERTIFICATE),
        async (_req, res) => {
          const certs = await signing.certificates();
          res.writeHead(200, { "Content-Type": "application/x-pem-file" }).end(`${certs.dsa}${certs.rsa}`);
        },
      ],
    ]);
    const ctx: AppContext = { settings, clock, random, app, host, credentials, signing, defaultInstanceId };
    const govern = createGovernFeature(ctx);
    const queryApi = createQueryApi({
      services: app,
      defaultRegion: settings.region,
      resolveAccountId: govern.resolveAccountId ?? (() => settings.accountId),
      ...(govern.authorize ? { authorize: govern.authorize } : {}),
      ...(govern.authenticate ? { authenticate: govern.authenticate } : {}),
    });
    const cloudWatch = createCloudWatchFeature({
      metrics: new SqliteMetricStore(store.database.db),
      transaction: (fn) => store.transaction(fn),
      instances: () =>
        estate.list().map((d) => ({
          accountId: d.record.accountId,
          region: d.record.region,
          instanceId: d.record.instanceId,
          state: d.record.state,
          counters: host.runtime(d.record.instanceId)?.counters,
        })),
      nowMs: () => clock.nowMs(),
      defaultRegion: settings.region,
      accountOf: govern.resolveAccountId ?? (() => settings.accountId),
      ...(govern.authenticateFor ? { authenticate: govern.authenticateFor("monitoring") } : {}),
    });
    const observed = observe.attach(ctx);
    features.push(govern, observed, createNoticesFeature(ctx, undefined, scheduledEvents), createDashboardFeature(ctx, { callers: observed.callers }), cloudWatch);
    for (const feature of features) for (const [key, route] of feature.routes ?? []) routes.set(key, route);
    const ec2: ApiRoute = queryApi.route;
    const awsServices = [cloudWatch.service, ...govern.awsServices];
    const admin = adminAccess({
      verify: settings.auth === "verify",
      configuredToken: settings.adminToken,
      newToken: () => Buffer.from(random.bytes(32)).toString("base64url"),
      signedAccount: govern.signedAccount,
    });
    const started = await startApiServer({ host: settings.apiHost, port: settings.apiPort, ec2, routes, allowedHosts: settings.allowedHosts, services: awsServices, ...(admin.gate ? { adminGate: admin.gate } : {}) });
    api = started.server;
    // Sign the default instance's identity document in the background, so the first reader does not wait.
    host.runtime(defaultInstanceId)?.warmSignatures().catch(() => undefined);
    const readyEntries: Record<string, string> = {};
    const ipv6 = host.ipv6Url(defaultInstanceId);
    if (ipv6 !== null) readyEntries.imdsIpv6 = ipv6;
    if (fileLimit !== undefined) readyEntries.instanceCapacity = String(instanceCapacity(fileLimit.soft));
    for (const feature of features) Object.assign(readyEntries, feature.readyEntries?.(started.url));
    Object.assign(readyEntries, admin.readyEntries);
    return {
      imdsUrl: host.url(defaultInstanceId) ?? "",
      apiUrl: started.url,
      readyEntries,
      defaultInstanceId,
      statePath,
      estate,
      host,
      signing,
      async close() {
        for (const feature of features) await feature.close?.();
        await host.close();
        if (api !== undefined) {
          api.closeAllConnections();
          await new Promise<void>((resolve) => api!.close(() => resolve()));
        }
        store.close();
      },
    };
  } catch (err) {
    for (const feature of features) await feature.close?.();
    await host.close();
    api?.close();
    store.close();
    throw err;
  }
}

function startOptions(settings: Settings): MetadataOptionsInput {
  const options: { -readonly [K in keyof MetadataOptionsInput]: MetadataOptionsInput[K] } = {};
  if (settings.httpTokens !== undefined) options.httpTokens = settings.httpTokens;
  if (settings.hopLimit !== undefined) options.httpPutResponseHopLimit = settings.hopLimit;
  if (settings.httpEndpoint !== undefined) options.httpEndpoint = settings.httpEndpoint;
  if (settings.instanceMetadataTags !== undefined) options.instanceMetadataTags = settings.instanceMetadataTags;
  if (settings.httpProtocolIpv6 !== undefined) options.httpProtocolIpv6 = settings.httpProtocolIpv6;
  return options;
}

/**
 * Descriptors kept for everything but instance endpoints: an idle emulator holds about 40 (the
 * state file and its WAL, the API listener, the worker, stdio); the rest is one listener an
 * instance (two with IPv6) and the connections of the moment, so this is an upper bound
 * (docs/behaviour.md#launches-all-or-nothing).
 */
const RESERVED_DESCRIPTORS = 64;

function instanceCapacity(softLimit: number): number {
  return softLimit < 0 ? Number.MAX_SAFE_INTEGER : Math.max(0, softLimit - RESERVED_DESCRIPTORS);
}
