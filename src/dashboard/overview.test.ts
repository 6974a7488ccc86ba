import assert from "node:assert/strict";
import { test } from "node:test";
import type { Ec2Harness } from "../../test/support/ec2-harness.ts";
import { expectOk } from "../../test/support/ec2-answers.ts";
import { launch, V2_IMAGE, withHarness } from "../../test/support/instances.ts";
import { CallHistory } from "./call-history.ts";
import type { CallerReport, InstanceCallerReport } from "../domain/migration/caller-report.ts";
import { buildOverview, type ObserveInput, type OverviewSources } from "./overview.ts";
import type { InstanceView, LaunchPreview } from "./overview-types.ts";

const DEFAULT_SCOPE = { accountId: "123456789012", region: "us-east-1" };
const NO_OBSERVE: ObserveInput = { unavailable: "not in this test" };

function sourcesOf(harness: Ec2Harness): OverviewSources {
  return {
    app: harness.services,
    defaultScope: DEFAULT_SCOPE,
    defaultInstanceId: "i-none",
    metrics: (id) => harness.host.runtime(id)?.counters,
    imdsUrl: (id) => harness.host.url(id),
    history: new CallHistory(),
  };
}

function overviewOf(harness: Ec2Harness, observe: ObserveInput = NO_OBSERVE) {
  return buildOverview(sourcesOf(harness), harness.clock.nowMs(), observe);
}

function instance(harness: Ec2Harness, id: string, observe?: ObserveInput): InstanceView {
  const found = overviewOf(harness, observe).instances.find((i) => i.instanceId === id);
  assert.ok(found, `${id} is in the overview`);
  return found;
}

function levels(view: { options: readonly { field: string; level: string }[] }): Record<string, string> {
  return Object.fromEntries(view.options.map((o) => [o.field, o.level]));
}

function previewOptions(preview: LaunchPreview): Record<string, string> {
  assert.ok("options" in preview, `expected a launch, got ${JSON.stringify(preview)}`);
  return Object.fromEntries(preview.options.map((o) => [o.field, `${o.value} ${o.level}`]));
}

test("buildOverview: each instance option shows its value and the level it came from", () =>
  withHarness(async (harness) => {
    const [id] = await launch(harness, { ImageId: V2_IMAGE, "MetadataOptions.HttpEndpoint": "enabled", "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": "web-1" });
    const view = instance(harness, id!);
    assert.equal(view.name, "web-1");
    assert.deepEqual(levels(view), {
      httpTokens: "ami",
      httpPutResponseHopLimit: "ami",
      httpEndpoint: "launch-parameters",
      httpProtocolIpv6: "ec2-default",
      instanceMetadataTags: "ec2-default",
    });
    assert.equal(view.options.find((o) => o.field === "httpTokens")?.value, "required");
    assert.equal(view.allowsV1, false);
    assert.match(view.imds ?? "", /^http:\/\/127\.0\.0\.1:\d+$/);
  }));

test("buildOverview: a modification becomes the level of the fields it changed; an instance without sources says unrecorded", () =>
  withHarness(async (harness) => {
    const [id] = await launch(harness);
    expectOk(await harness.call("ModifyInstanceMetadataOptions", { InstanceId: id!, HttpTokens: "required" }));
    const view = instance(harness, id!);
    assert.equal(levels(view).httpTokens, "modified-after-launch");
    assert.equal(levels(view).httpPutResponseHopLimit, "ec2-default");
    assert.equal(view.optionsState, "pending");

    const serveDefault = await harness.services.estate.ensureDefaultInstance({ ...DEFAULT_SCOPE, roleName: "r", endpoint: { host: "127.0.0.1", port: 0 }, options: {}, userData: null });
    assert.equal(levels(instance(harness, serveDefault.record.instanceId)).httpTokens, "ec2-default");
    // A document stored before sources were recorded (store migration 3 gives it `unrecorded`).
    const stored = harness.store.instances.get(serveDefault.record.instanceId)!;
    harness.store.instances.put({ ...stored, optionSources: { ...stored.optionSources, httpTokens: { level: "unrecorded" } } });
    assert.equal(levels(instance(harness, serveDefault.record.instanceId)).httpTokens, "unrecorded");
  }));

test("buildOverview: launch previews are RunInstances' own plan, refusals included", () =>
  withHarness(async (harness) => {
    expectOk(await harness.call("CreateLaunchTemplate", { LaunchTemplateName: "web", "LaunchTemplateData.ImageId": "ami-0453ec754f44f9a4a", "LaunchTemplateData.MetadataOptions.HttpPutResponseHopLimit": "3" }));
    expectOk(await harness.call("ModifyInstanceMetadataDefaults", { HttpTokensEnforced: "enabled" }));
    const overview = overviewOf(harness);

    const [template] = overview.launchTemplates;
    assert.equal(template?.templateName, "web");
    assert.deepEqual(template?.metadataOptions, { httpPutResponseHopLimit: 3 });
    // The template leaves HttpTokens optional, which the account's enforcement refuses.
    assert.ok("refused" in template!.preview);
    assert.equal(template.preview.refused.code, "UnsupportedOperation");

    const v2Image = overview.images.find((i) => i.imageId === V2_IMAGE)!;
    assert.deepEqual(previewOptions(v2Image.preview), {
      httpTokens: "required ami",
      httpPutResponseHopLimit: "2 ami",
      httpEndpoint: "enabled ec2-default",
      httpProtocolIpv6: "disabled ec2-default",
      instanceMetadataTags: "disabled ec2-default",
    });
    assert.equal(overview.images.filter((i) => i.imageId === V2_IMAGE).length, 1, "each image once");
  }));

test("buildOverview: regions are every known account and Region, the serve default first, with their defaults and v1 counts", () =>
  withHarness(async (harness) => {
    await launch(harness, {}, { region: "eu-west-1" });
    await launch(harness, { ImageId: V2_IMAGE }, { region: "eu-west-1" });
    expectOk(await harness.call("ModifyInstanceMetadataDefaults", { HttpTokens: "required", HttpPutResponseHopLimit: "2" }, { region: "ap-south-1" }));
    const { regions, summary } = overviewOf(harness);
    assert.deepEqual(
      regions.map((r) => [r.region, r.instances, r.allowingV1]),
      [
        ["us-east-1", 0, 0],
        ["ap-south-1", 0, 0],
        ["eu-west-1", 2, 1],
      ],
    );
    assert.deepEqual(regions[1]!.defaults, { managedBy: "account", httpTokens: "required", httpPutResponseHopLimit: 2 });
    assert.equal(summary.instances, 2);
    assert.equal(summary.allowingV1, 1);
  }));

test("buildOverview: without the observe report, readiness comes from the endpoint counters", () =>
  withHarness(async (harness) => {
    const [v1User, quiet] = await launch(harness, { MaxCount: "2" });
    const url = harness.host.url(v1User!)!;
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`${url}/latest/meta-data/instance-id`)).status, 200);
    const overview = overviewOf(harness);
    const view = overview.instances.find((i) => i.instanceId === v1User)!;
    assert.deepEqual(view.calls, { v1Served: 3, v1Rejected: 0, v2Served: 0 });
    assert.deepEqual([view.readiness.verdict, view.readiness.evidence], ["breaks", "counters"]);
    assert.equal(overview.instances.find((i) => i.instanceId === quiet)!.readiness.verdict, "no-traffic");
    assert.equal(overview.summary.verdicts.breaks, 1);
    assert.equal(overview.summary.v1Served, 3);
    assert.deepEqual(overview.observe, { available: false, reason: "not in this test" });
  }));

test("buildOverview: with the observe report, its verdict and its callers win", () =>
  withHarness(async (harness) => {
    const [id] = await launch(harness);
    const report = reportOf([
      {
        ...instanceReport(id!),
        verdict: "hop-limit",
        requiredHopLimit: 2,
        v1Callers: [
          {
            key: "process:42:1",
            label: "pid 42 python3 agent.py",
            attribution: "attributed",
            process: { pid: 42, command: ["python3", "agent.py"], startTime: 1, comm: "python3", parents: [] },
            remoteAddresses: ["127.0.0.1"],
            userAgents: ["legacy/1.0"],
            v1Requests: 7,
            v1Rejected: 0,
            v2Requests: 0,
            tokenPuts: 0,
            v1Paths: [{ path: "/latest/meta-data/", count: 7 }],
            hop: { requiredHopLimit: 1, evidence: "same-host", detail: "loopback" },
          },
        ],
      },
    ]);
    const view = instance(harness, id!, { report });
    assert.equal(view.readiness.verdict, "hop-limit");
    assert.equal(view.readiness.evidence, "access-log");
    assert.equal(view.readiness.requiredHopLimit, 2);
    assert.deepEqual(view.readiness.v1Callers.map((c) => [c.pid, c.command, c.v1Requests]), [[42, "python3 agent.py", 7]]);
    assert.equal(overviewOf(harness, { report }).observe.available, true);
  }));

test("buildOverview: an instance the report does not know yet falls back to the counters", () =>
  withHarness(async (harness) => {
    const [id] = await launch(harness);
    const view = instance(harness, id!, { report: reportOf([]) });
    assert.deepEqual([view.readiness.verdict, view.readiness.evidence], ["no-traffic", "counters"]);
  }));

function instanceReport(instanceId: string): InstanceCallerReport {
  return {
    instanceId,
    region: "us-east-1",
    state: "running",
    httpTokens: "optional",
    httpPutResponseHopLimit: 1,
    httpEndpoint: "enabled",
    metrics: { MetadataNoToken: 0, MetadataNoTokenRejected: 0, tokenResponsesWithheld: 0 },
    verdict: "no-traffic",
    v1Callers: [],
    rejectedCallers: [],
    hopLimitCallers: [],
    v2Callers: [],
    requiredHopLimit: 1,
  };
}

function reportOf(instances: InstanceCallerReport[]): CallerReport {
  const at = "2026-11-29T12:00:00.000Z";
  return { generatedAt: at, observedSince: at, accessLog: { capacity: 0, recorded: 0, dropped: 0, overflowCallers: 0 }, instances };
}
