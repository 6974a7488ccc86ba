import { networkInterfaces, platform } from "node:os";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, type ApiRoute } from "../api/api-server.ts";
import { PATH_ACCESS_LOG, PATH_CALLERS, PATH_METRICS, PATH_PROMETHEUS_METRICS, PATH_REPORT, routeKey } from "../api/control-paths.ts";
import { callerSeesAccount } from "../api/admin-access.ts";
import type { AppContext, Feature } from "../app/app-context.ts";
import type { CallerObservations } from "../app/ports.ts";
import type { Settings } from "../config/settings.ts";
import type { InstanceObservation } from "../domain/migration/caller-observation.ts";
import { buildCallerReport, type CallerReport } from "../domain/migration/caller-report.ts";
import { parseSimulatedNetworks } from "../domain/migration/network-distance.ts";
import type { ImdsAccess } from "../imds/imds-access.ts";
import type { ImdsCounters } from "../imds/instance-runtime.ts";
import type { Clock } from "../platform/clock.ts";
import { AccessLog } from "./access-log.ts";
import { AttributionQueue } from "./caller-attribution-queue.ts";
import { CallerTable } from "./caller-table.ts";
import { createImdsMetrics, type MetricsInstance } from "./imds-metrics.ts";
import { NamespaceCallerRegistry } from "./namespace-callers.ts";
import { ProcessAttributor } from "./process-attributor.ts";

/**
 * Who calls the IMDS and how (issue: the IMDSv2 migration toolkit). Built before the IMDS host,
 * because the host takes its `onAccess` hook; attached to the rest once everything exists.
 */
export interface ObserveFeature {
  readonly onAccess: ((access: ImdsAccess) => void) | undefined;
  attach(ctx: AppContext): Feature & { readonly callers: CallerObservations };
}

const FOLD_INTERVAL_MS = 1000;
const ZERO_COUNTERS: ImdsCounters = { metadataNoToken: 0, metadataNoTokenRejected: 0, metadataWithToken: 0, tokensIssued: 0, invalidTokens: 0 };

export function createObserveFeature({
  clock,
  settings,
  namespaces = new NamespaceCallerRegistry(),
}: {
  clock: Clock;
  settings: Settings;
  namespaces?: NamespaceCallerRegistry;
}): ObserveFeature {
  const startedMs = clock.nowMs();
  const localAddresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  const attributor =
    settings.attributeCallers && platform() === "linux" ? new ProcessAttributor({ namespaceProcDirs: () => namespaces.list().map((n) => n.procDir) }) : null;
  let foldScheduled = false;
  const fold = () => {
    foldScheduled = false;
    table.fold();
  };
  const queue = new AttributionQueue(attributor, localAddresses, fold, (address) => namespaces.isCallerAddress(address));
  const log = new AccessLog(settings.accessLogSize, () => clock.nowMs(), (c) => queue.add(c));
  const table = new CallerTable(log);
  const foldAt = Math.max(1, Math.floor(settings.accessLogSize / 2));
  const timer = setInterval(fold, FOLD_INTERVAL_MS);
  timer.unref();

  // O(1) and no I/O: one ring write; a fold is scheduled before the ring could overwrite unread records.
  const onAccess =
    settings.accessLogSize === 0
      ? undefined
      : (access: ImdsAccess) => {
          log.record(access.instanceId, access.method, access.path, access.status, access.version === "v2", access.connection, access.userAgent, access.timeMs);
          if (!foldScheduled && table.backlog >= foldAt) {
            foldScheduled = true;
            setImmediate(fold);
          }
        };

  /** Before a read: attribution of everything seen so far finished, then folded. */
  async function settle(): Promise<void> {
    await queue.drain();
    table.fold(true);
  }

  return {
    onAccess,
    attach(ctx: AppContext): Feature & { readonly callers: CallerObservations } {
      // The IMDS thread reports accesses in batches: take the ones still on their way first.
      const settled = async () => {
        await ctx.host.flushAccesses?.();
        await settle();
      };
      const instances = (): (InstanceObservation & { counters: ImdsCounters })[] =>
        ctx.app.instances.all().map((d) => {
          const r = d.record;
          const runtime = ctx.host.runtime(r.instanceId);
          const counters = runtime?.counters ?? ZERO_COUNTERS;
          return {
            instanceId: r.instanceId,
            region: r.region,
            state: r.state,
            httpTokens: r.metadataOptions.httpTokens,
            httpPutResponseHopLimit: r.metadataOptions.httpPutResponseHopLimit,
            httpEndpoint: r.metadataOptions.httpEndpoint,
            metrics: { ...counters, tokenResponsesWithheld: withheldOf(runtime) },
            counters,
          };
        });
      const metrics = createImdsMetrics({
        instances: () =>
          instances().map(
            (i): MetricsInstance => ({
              instanceId: i.instanceId,
              region: i.region,
              httpTokens: i.httpTokens,
              hopLimit: i.httpPutResponseHopLimit,
              counters: { ...i.counters, tokenResponsesWithheld: i.metrics.tokenResponsesWithheld ?? 0 },
            }),
          ),
        accessLog: () => ({ capacity: log.capacity, recorded: log.written, dropped: table.dropped, attributions: queue.results }),
      });
      const report = async (): Promise<CallerReport> => {
        await settled();
        return buildCallerReport({
          nowMs: clock.nowMs(),
          startedMs,
          // Terminated instances answer nobody any more; their counters stay on /metrics.
          instances: instances()
            .filter((i) => i.state !== "terminated")
            .map(({ counters: _c, ...rest }) => rest),
          callers: table.observations(),
          accessLog: { capacity: log.capacity, recorded: log.written, dropped: table.dropped, overflowCallers: table.overflowCallers },
          localAddresses,
          // A sandbox's callers sit exactly as many hops away as its chain is long.
          simulatedNetworks: [
            ...namespaces.list().flatMap((n) => n.addresses.map((a) => ({ cidr: `${a}/${a.includes(":") ? 128 : 32}`, hops: n.hops }))),
            ...parseSimulatedNetworks(settings.simulatedNetworks),
          ],
        });
      };
      const scrape: ApiRoute = async (_req, res) => {
        await settled();
        res.writeHead(200, { "Content-Type": metrics.contentType }).end(await metrics.metrics());
      };
      const routes: [string, ApiRoute][] = [
        [
          routeKey("GET", PATH_REPORT),
          async (req, res) => {
            // A signed caller under --auth verify sees its own account's instances only.
            const full = await report();
            const accountOf = (id: string) => ctx.app.instances.get(id)?.record.accountId;
            sendJson(res, 200, { ...full, instances: full.instances.filter((i) => callerSeesAccount(req, accountOf(i.instanceId))) });
          },
        ],
        [routeKey("GET", PATH_CALLERS), async (_req, res) => {
          await settled();
          sendJson(res, 200, table.observations());
        }],
        [routeKey("GET", PATH_ACCESS_LOG), async (req, res) => {
          await settled();
          sendAccessLog(req, res, log);
        }],
        [routeKey("GET", PATH_PROMETHEUS_METRICS), scrape],
        [routeKey("GET", PATH_METRICS), scrape],
      ];
      return {
        routes,
        callers: { report },
        close() {
          clearInterval(timer);
        },
      };
    },
  };
}

/** Newest first; `?instance=`, `?version=v1|v2` and `?limit=` (default 100) narrow it. */
function sendAccessLog(req: IncomingMessage, res: ServerResponse, log: AccessLog): void {
  const query = new URL(req.url ?? "/", "http://localhost").searchParams;
  const instance = query.get("instance");
  const version = query.get("version");
  const limit = Math.min(Math.max(Number(query.get("limit") ?? 100) || 100, 1), log.capacity || 1);
  const entries = [];
  for (let seq = log.written - 1; seq >= log.oldest && entries.length < limit; seq--) {
    const r = log.get(seq);
    if (r === undefined || (instance !== null && r.instanceId !== instance) || (version !== null && r.version !== version)) continue;
    const c = r.connection;
    entries.push({
      seq: r.seq,
      time: new Date(r.timeMs).toISOString(),
      instanceId: r.instanceId,
      method: r.method,
      path: r.path,
      version: r.version,
      status: r.status,
      remoteAddress: c.remoteAddress,
      remotePort: c.remotePort,
      userAgent: r.userAgent ?? null,
      attribution: c.attribution,
      ...(c.process ? { pid: c.process.pid, command: c.process.command, container: c.process.container ?? null } : {}),
    });
  }
  sendJson(res, 200, { capacity: log.capacity, recorded: log.written, entries });
}

/** Token answers the hop-limit enforcement withheld (src/imds keeps the count beside the counters). */
function withheldOf(runtime: object | undefined): number {
  return runtime !== undefined && "tokenResponsesWithheld" in runtime ? Number(runtime.tokenResponsesWithheld) || 0 : 0;
}
