/**
 * The dashboard's one data view, assembled from the use cases the EC2 API uses: account defaults,
 * images, launch templates and instances, each option with the level it came from. Launch
 * previews run the RunInstances planner itself, so the precedence and the enforcement shown are
 * the API's own; readiness comes from the migration rules (see readiness.ts).
 */
import { isDomainError } from "../domain/errors.ts";
import type { InstanceMetrics, InstanceObservation } from "../domain/migration/caller-observation.ts";
import type { MetadataOptions } from "../domain/options/metadata-options.ts";
import { describeOptionSource, OPTION_FIELDS, type OptionSources } from "../domain/instance/option-source.ts";
import type { Application } from "../app/application.ts";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import { metadataOptionsState } from "../app/instance-service.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { LaunchRequest } from "../app/launch-service.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { CallHistory } from "./call-history.ts";
import type { DashboardOverview, DashboardSummary, ImageView, InstanceView, LaunchPreview, LaunchTemplateView, OptionView, RegionView } from "./overview-types.ts";
import { readinessFromCounters, readinessFromReport, VERDICTS, type Verdict } from "./readiness.ts";
import { listScopes } from "./scopes.ts";

const NO_METRICS: InstanceMetrics = { metadataNoToken: 0, metadataNoTokenRejected: 0, metadataWithToken: 0, tokensIssued: 0, invalidTokens: 0 };

export interface OverviewSources {
  readonly app: Application;
  readonly defaultScope: AccountScope;
  readonly defaultInstanceId: string;
  /** The counters of an instance's IMDS endpoint since start, if it has one now. */
  readonly metrics: (instanceId: string) => InstanceMetrics | undefined;
  readonly imdsUrl: (instanceId: string) => string | null;
  readonly history: CallHistory;
}

/** What the observe feature said, if anything: its report, or why there is none. */
export type ObserveInput = { readonly report: CallerReport } | { readonly unavailable: string };

export function buildOverview(sources: OverviewSources, nowMs: number, observe: ObserveInput): DashboardOverview {
  const { app, defaultScope } = sources;
  const docs = app.instances.all();
  const observations = docs.map((d) => observation(d, sources.metrics(d.record.instanceId) ?? NO_METRICS));
  const counted = readinessFromCounters(observations, nowMs);
  const observed = "report" in observe ? readinessFromReport(observe.report) : new Map();
  const instances = docs.map((doc, i) => {
    const id = doc.record.instanceId;
    return instanceView(sources, doc, observations[i]!.metrics, observed.get(id) ?? counted.get(id)!, nowMs);
  });
  const scopes = listScopes(app, defaultScope);
  return {
    generatedAt: new Date(nowMs).toISOString(),
    defaultScope,
    observe: "report" in observe ? { available: true, observedSince: observe.report.observedSince } : { available: false, reason: observe.unavailable },
    summary: summarise(instances),
    regions: regionViews(app, scopes, instances),
    images: imageViews(app, scopes, nowMs),
    launchTemplates: templateViews(app, nowMs),
    instances,
    calls: sources.history.series(nowMs),
  };
}

function observation(doc: Instance, metrics: InstanceMetrics): InstanceObservation {
  const { record } = doc;
  return {
    instanceId: record.instanceId,
    region: record.region,
    state: record.state,
    httpTokens: record.metadataOptions.httpTokens,
    httpPutResponseHopLimit: record.metadataOptions.httpPutResponseHopLimit,
    httpEndpoint: record.metadataOptions.httpEndpoint,
    metrics,
  };
}

function instanceView(sources: OverviewSources, doc: Instance, metrics: InstanceMetrics, readiness: InstanceView["readiness"], nowMs: number): InstanceView {
  const { record } = doc;
  const options = OPTION_FIELDS.map((field): OptionView => {
    const source = doc.optionSources[field];
    return { field, value: record.metadataOptions[field], level: source.level, detail: describeOptionSource(source) };
  });
  const { httpTokens, httpEndpoint } = record.metadataOptions;
  return {
    instanceId: record.instanceId,
    accountId: record.accountId,
    region: record.region,
    name: record.tags.find((t) => t.key === "Name")?.value ?? null,
    isDefault: record.instanceId === sources.defaultInstanceId,
    state: record.state,
    imageId: record.imageId,
    imds: sources.imdsUrl(record.instanceId),
    options,
    optionsState: metadataOptionsState(doc, nowMs),
    allowsV1: record.state !== "terminated" && httpTokens === "optional" && httpEndpoint === "enabled",
    tags: record.tags,
    calls: { v1Served: metrics.metadataNoToken, v1Rejected: metrics.metadataNoTokenRejected, v2Served: metrics.metadataWithToken },
    readiness,
  };
}

function regionViews(app: Application, scopes: readonly AccountScope[], instances: readonly InstanceView[]): RegionView[] {
  return scopes.map((scope) => {
    const own = instances.filter((i) => i.accountId === scope.accountId && i.region === scope.region && i.state !== "terminated");
    return { ...scope, defaults: app.defaults.get(scope.accountId, scope.region), instances: own.length, allowingV1: own.filter((i) => i.allowsV1).length };
  });
}

/** Every image any known account sees in its Region, each once, previewed where first seen. */
function imageViews(app: Application, scopes: readonly AccountScope[], nowMs: number): ImageView[] {
  const seen = new Map<string, ImageView>();
  for (const scope of scopes) {
    for (const image of app.catalogue.visible(scope)) {
      if (seen.has(image.imageId)) continue;
      seen.set(image.imageId, {
        imageId: image.imageId,
        name: image.name,
        ownerId: image.ownerId,
        isPublic: image.isPublic,
        imdsSupport: image.imdsSupport,
        previewScope: scope,
        preview: previewLaunch(app, scope, nowMs, { imageId: image.imageId }),
      });
    }
  }
  return [...seen.values()];
}

function templateViews(app: Application, nowMs: number): LaunchTemplateView[] {
  return app.templates.all().map((t) => {
    const data = t.versions.find((v) => v.versionNumber === t.defaultVersionNumber)?.data ?? {};
    const scope = { accountId: t.accountId, region: t.region };
    return {
      ...scope,
      templateId: t.templateId,
      templateName: t.templateName,
      defaultVersion: t.defaultVersionNumber,
      latestVersion: t.latestVersionNumber,
      metadataOptions: data.metadataOptions ?? {},
      imageId: data.imageId ?? null,
      preview: previewLaunch(app, scope, nowMs, { launchTemplate: { id: t.templateId } }),
    };
  });
}

/** planLaunch decides everything RunInstances would and writes nothing. */
function previewLaunch(app: Application, scope: AccountScope, nowMs: number, request: Pick<LaunchRequest, "imageId" | "launchTemplate">): LaunchPreview {
  try {
    const plan = app.launches.planLaunch({ ...scope, nowMs }, { minCount: 1, maxCount: 1, metadataOptions: {}, tags: [], ...request });
    return { options: resolvedOptionViews(plan.resolved.options, plan.resolved.sources) };
  } catch (err) {
    if (isDomainError(err)) return { refused: { code: err.code, message: err.message } };
    throw err;
  }
}

function resolvedOptionViews(options: MetadataOptions, sources: OptionSources): OptionView[] {
  return OPTION_FIELDS.map((field) => ({ field, value: options[field], level: sources[field].level, detail: describeOptionSource(sources[field]) }));
}

function summarise(instances: readonly InstanceView[]): DashboardSummary {
  const live = instances.filter((i) => i.state !== "terminated");
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const i of live) verdicts[i.readiness.verdict]++;
  const sum = (pick: (i: InstanceView) => number) => instances.reduce((n, i) => n + pick(i), 0);
  return {
    instances: live.length,
    allowingV1: live.filter((i) => i.allowsV1).length,
    verdicts,
    v1Served: sum((i) => i.calls.v1Served),
    v1Rejected: sum((i) => i.calls.v1Rejected),
    v2Served: sum((i) => i.calls.v2Served),
  };
}
