import type { ServerResponse } from "node:http";
import { sendJson, type ApiRoute } from "../api/api-server.ts";
import { PATH_DASHBOARD, PATH_DASHBOARD_OVERVIEW, PATH_DASHBOARD_REDIRECT, routeKey } from "../api/control-paths.ts";
import type { AppContext, Feature } from "../app/app-context.ts";
import type { CallerObservations } from "../app/ports.ts";
import type { InstanceMetrics } from "../domain/migration/caller-observation.ts";
import { CallHistory, type CounterReading } from "./call-history.ts";
import { buildOverview, type ObserveInput, type OverviewSources } from "./overview.ts";
import { loadDashboardAssets, type StaticAsset } from "./static-assets.ts";

const DASHBOARD_PATH = PATH_DASHBOARD;

/**
 * Only our own files, and no framing: the page changes instance options, so another site must
 * not be able to run script in it or overlay it.
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-cache",
};

export interface DashboardFeatureOptions {
  /** How often the IMDS counters are sampled for the chart; 0 samples only when the page asks. */
  readonly sampleEveryMs?: number;
  /** The observe feature's caller report, read in-process; absent, readiness comes from the counters. */
  readonly callers?: CallerObservations;
}

/**
 * The web dashboard served by the running emulator under /_imds-lab/dashboard/: a static page that
 * reads one JSON overview and changes things through the emulator's own EC2 Query API.
 */
export function createDashboardFeature(ctx: AppContext, { sampleEveryMs = 1000, callers }: DashboardFeatureOptions = {}): Feature {
  const assets = loadDashboardAssets();
  const history = new CallHistory();
  const metrics = (instanceId: string): InstanceMetrics | undefined => ctx.host.runtime(instanceId)?.counters;
  const sample = () => {
    const readings: CounterReading[] = [];
    for (const instanceId of ctx.host.instanceIds()) {
      const c = metrics(instanceId);
      if (c !== undefined) readings.push({ instanceId, v1: c.metadataNoToken, v1Rejected: c.metadataNoTokenRejected, v2: c.metadataWithToken });
    }
    history.record(ctx.clock.nowMs(), readings);
  };
  const sources: OverviewSources = {
    app: ctx.app,
    defaultScope: { accountId: ctx.settings.accountId, region: ctx.settings.region },
    defaultInstanceId: ctx.defaultInstanceId,
    metrics,
    imdsUrl: (instanceId) => ctx.host.url(instanceId),
    history,
  };
  const timer = sampleEveryMs > 0 ? setInterval(sample, sampleEveryMs) : undefined;
  timer?.unref();

  const routes: [string, ApiRoute][] = [
    [routeKey("GET", PATH_DASHBOARD_REDIRECT), (_req, res) => void res.writeHead(308, { Location: DASHBOARD_PATH }).end()],
    [routeKey("GET", DASHBOARD_PATH), (_req, res) => sendAsset(res, assets.get("index.html")!)],
    [
      routeKey("GET", PATH_DASHBOARD_OVERVIEW),
      async (_req, res) => {
        const observed = await observe(callers);
        sample();
        sendJson(res, 200, buildOverview(sources, ctx.clock.nowMs(), observed));
      },
    ],
  ];
  for (const [name, asset] of assets) {
    if (name !== "index.html") routes.push([routeKey("GET", `${DASHBOARD_PATH}${name}`), (_req, res) => sendAsset(res, asset)]);
  }
  return {
    routes,
    readyEntries: (apiUrl) => ({ dashboard: `${apiUrl}${DASHBOARD_PATH}` }),
    close() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}

function sendAsset(res: ServerResponse, asset: StaticAsset): void {
  res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": asset.contentType, "Content-Length": asset.body.length }).end(asset.body);
}

async function observe(callers: CallerObservations | undefined): Promise<ObserveInput> {
  if (callers === undefined) return { unavailable: "the observe feature is not running" };
  try {
    return { report: await callers.report() };
  } catch (err) {
    return { unavailable: `the caller report failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}
