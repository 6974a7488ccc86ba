/**
 * The IMDSv2 migration end to end, as a user runs it against imds-lab: an estate in two Regions,
 * a legacy IMDSv1 poller and botocore (IMDSv2) on the application host; then report, audit,
 * plan, apply and rollback through the `imds-lab` CLI. Afterwards every instance requires IMDSv2,
 * botocore still works, and the poller fails exactly as the report predicted beforehand.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeImagesCommand, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import type { AuditDocument } from "../../src/toolkit/cli-support.ts";
import type { CallerReport } from "../../src/domain/migration/caller-report.ts";
import type { MigrationPlan } from "../../src/domain/migration/plan-steps.ts";
import type { ApplyJournal } from "../../src/toolkit/apply-journal.ts";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { botocore, imdsLab, startPoller, type Poller } from "../support/migration-callers.ts";
import { buildMigrationEstate, clientFor, type MigrationEstate } from "../support/migration-estate.ts";

const REGIONS = "us-east-1,eu-west-1";

async function imdsOf(api: string, instanceId: string): Promise<string> {
  const list = JSON.parse((await rawRequest(api, { path: "/_imds-lab/instances" })).text()) as { instanceId: string; imds: string | null }[];
  const url = list.find((i) => i.instanceId === instanceId)?.imds;
  assert.ok(url, `${instanceId} serves IMDS`);
  return url;
}

async function allInstances(api: string): Promise<{ id: string; region: string; tokens: string; hop: number }[]> {
  const out: { id: string; region: string; tokens: string; hop: number }[] = [];
  for (const region of REGIONS.split(",")) {
    const client = clientFor(api, region);
    for await (const page of paginateDescribeInstances({ client }, {})) {
      for (const r of page.Reservations ?? []) {
        for (const i of r.Instances ?? []) {
          if (i.State?.Name === "terminated") continue;
          out.push({ id: i.InstanceId!, region, tokens: i.MetadataOptions!.HttpTokens!, hop: i.MetadataOptions!.HttpPutResponseHopLimit! });
        }
      }
    }
    client.destroy();
  }
  return out;
}

describe("migration toolkit: report, audit, plan, apply, rollback against imds-lab", () => {
  let emulator: EmulatorProcess;
  let estate: MigrationEstate;
  let appImds: string;
  let poller: Poller;
  let api: string;
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-migration-"));
  const file = (name: string) => join(dir, name);
  let reportBefore: CallerReport;

  before(async () => {
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
    api = emulator.ready.api;
    estate = await buildMigrationEstate(api);
    appImds = await imdsOf(api, estate.appInstance);
    poller = startPoller(appImds, 0.2);
    await poller.waitFor(200, 4);
  });
  after(async () => {
    poller?.stop();
    await emulator.stop();
  });

  it("before: botocore gets credentials over IMDSv2 (with and without IMDSv1 fallback) while the poller uses IMDSv1", () => {
    for (const args of [["--v1-disabled"], []]) {
      const out = botocore(appImds, args);
      assert.equal(out.error, null, JSON.stringify(out.error));
      assert.match(out.credentials?.access_key ?? "", /^ASIA/);
      assert.ok(out.requests.some((r) => r.method === "PUT" && r.status === 200), "botocore asked for a token first");
    }
  });

  it("report: predicts that requiring IMDSv2 on the app host breaks the poller (by pid and paths), and nothing is known of the idle node", () => {
    const run = imdsLab(["report", "--endpoint-url", api, "--json", "--output", file("report.json")]);
    assert.equal(run.status, 0, run.stderr);
    reportBefore = JSON.parse(readFileSync(file("report.json"), "utf8")) as CallerReport;
    const app = reportBefore.instances.find((i) => i.instanceId === estate.appInstance)!;
    assert.equal(app.verdict, "breaks");
    assert.ok(app.metrics.MetadataNoToken >= 4);
    assert.deepEqual(app.v1Callers.map((c) => c.process?.pid), [poller.child.pid]);
    assert.ok(app.v2Callers.some((c) => c.tokenPuts > 0 && c.v1Requests === 0), "botocore is an IMDSv2 caller");
    assert.equal(reportBefore.instances.find((i) => i.instanceId === estate.nodeInstance)?.verdict, "no-traffic");
    const markdown = imdsLab(["report", "--endpoint-url", api, "--markdown"]);
    assert.match(markdown.stdout, /^# IMDSv2 readiness report/m);
    assert.match(markdown.stdout, new RegExp(`\\| ${estate.appInstance} \\| us-east-1 \\| optional, hop 1 \\|`));
  });

  it("audit: JSON for the plan, SARIF for code scanning, and an exit code that gates CI", () => {
    const args = ["audit", "--regions", REGIONS, "--endpoint-url", api, "--no-progress"];
    const json = imdsLab([...args, "--json", "--output", file("audit.json"), "--report", file("report.json")]);
    assert.equal(json.status, 0, json.stderr);
    const audit = JSON.parse(readFileSync(file("audit.json"), "utf8")) as AuditDocument;
    assert.equal(audit.kind, "imds-lab/audit");
    const rules = new Set(audit.findings.map((f) => f.rule));
    for (const rule of ["instance-imdsv1-allowed", "launch-template-imdsv1-allowed", "image-imds-support-unset", "account-default-imdsv1", "account-enforcement-off", "instance-hop-limit-container-host", "observed-imdsv1-caller"]) {
      assert.ok(rules.has(rule as never), `missing ${rule}`);
    }
    const sarif = imdsLab([...args, "--sarif", "--fail-on", "high"]);
    assert.equal(sarif.status, 1, "high findings fail the gate");
    const log = JSON.parse(sarif.stdout);
    assert.equal(log.version, "2.1.0");
    const results = log.runs[0].results as { ruleId: string; level: string; locations: { logicalLocations: { name: string }[] }[] }[];
    assert.ok(results.some((r) => r.ruleId === "instance-imdsv1-allowed" && r.level === "error" && r.locations[0]!.logicalLocations[0]!.name === estate.appInstance));
    const table = imdsLab(args.filter((a) => a !== "--no-progress"));
    assert.equal(table.status, 0);
    assert.match(table.stdout, /IMDSv1 allowed on an instance/);
    assert.match(table.stderr, /audit/, "progress is shown on stderr (noTTY mode)");
  });

  it("plan: ordered steps from the audit and the report, with the AWS CLI commands; the AMI steps are flagged irreversible", () => {
    const run = imdsLab(["plan", "--audit", file("audit.json"), "--report", file("report.json"), "--output", file("plan.json")]);
    assert.equal(run.status, 0, run.stderr);
    const plan = JSON.parse(readFileSync(file("plan.json"), "utf8")) as MigrationPlan;
    const phases = plan.steps.map((s) => s.phase);
    assert.deepEqual([...new Set(phases)], ["callers", "images", "account-defaults", "launch-templates", "instances", "enforcement"]);
    assert.equal(plan.steps[0]!.action.kind, "fix-caller");
    assert.match(plan.steps[0]!.title, new RegExp(`pid ${poller.child.pid} `));
    assert.deepEqual([...plan.irreversible].sort(), [`images:eu-west-1:${estate.nodeImage}`, `images:us-east-1:${estate.appImage}`].sort());
    assert.match(run.stdout, /cannot be undone/);
    assert.match(run.stdout, new RegExp(`aws ec2 modify-instance-metadata-options --region us-east-1 --instance-id ${estate.appInstance} --http-tokens required`));
  });

  it("apply: refuses without decisions, dry-runs without changing anything, then applies; every instance requires IMDSv2", async () => {
    const plan = file("plan.json");
    const journal = file("journal.json");
    const refused = imdsLab(["apply", plan, "--journal", journal, "--no-progress"]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cannot be undone/);
    const dry = imdsLab(["apply", plan, "--journal", journal, "--dry-run", "--allow-irreversible", "--acknowledge-manual", "--no-progress"]);
    assert.equal(dry.status, 0, dry.stderr);
    assert.ok((await allInstances(api)).some((i) => i.tokens === "optional"), "the dry run changed nothing");

    const applied = imdsLab(["apply", plan, "--journal", journal, "--allow-irreversible", "--acknowledge-manual"]);
    assert.equal(applied.status, 0, applied.stderr);
    const instances = await allInstances(api);
    assert.ok(instances.length >= 4);
    assert.deepEqual(instances.filter((i) => i.tokens !== "required"), []);
    assert.equal(instances.find((i) => i.id === estate.nodeInstance)?.hop, 2, "the container host got hop limit 2");
    const saved = JSON.parse(readFileSync(journal, "utf8")) as ApplyJournal;
    assert.ok(saved.entries.every((e) => ["done", "unchanged", "acknowledged"].includes(e.status)));
    const audited = imdsLab(["audit", "--regions", REGIONS, "--endpoint-url", api, "--no-progress", "--json"]);
    const left = (JSON.parse(audited.stdout) as AuditDocument).findings.filter((f) => f.severity === "medium" || f.severity === "high");
    // All that is left is CloudWatch's evidence that the poller, not updated, is now refused (MetadataNoTokenRejected).
    assert.deepEqual(left.map((f) => `${f.rule} ${f.resourceId}`), [`observed-imdsv1-rejected ${estate.appInstance}`]);
  });

  it("after: botocore still works, and the poller fails with 401 exactly as the report predicted", async () => {
    const out = botocore(appImds, ["--v1-disabled"]);
    assert.equal(out.error, null, JSON.stringify(out.error));
    await poller.waitFor(401, 2);
    const predicted = reportBefore.instances.find((i) => i.instanceId === estate.appInstance)!.v1Callers.map((c) => c.process?.pid);
    const now = JSON.parse(imdsLab(["report", "--endpoint-url", api, "--json"]).stdout) as CallerReport;
    const app = now.instances.find((i) => i.instanceId === estate.appInstance)!;
    assert.equal(app.verdict, "rejecting");
    assert.ok(app.metrics.MetadataNoTokenRejected >= 2);
    assert.deepEqual(app.rejectedCallers.map((c) => c.process?.pid), predicted);
    const metrics = (await rawRequest(api, { path: "/metrics" })).text();
    assert.match(metrics, new RegExp(`imds_metadata_no_token_rejected_total\\{instance_id="${estate.appInstance}",region="us-east-1"\\} [1-9]`));
  });

  it("rollback: undoes every reversible step newest first; the AMIs keep ImdsSupport=v2.0, which EC2 cannot undo", async () => {
    const run = imdsLab(["rollback", "--journal", file("journal.json"), "--no-progress"]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /cannot be undone, left as is: images:/);
    const instances = await allInstances(api);
    assert.equal(instances.find((i) => i.id === estate.appInstance)?.tokens, "optional");
    assert.equal(instances.find((i) => i.id === estate.nodeInstance)?.hop, 1);
    await poller.waitFor(200, 2);
    const client = clientFor(api, "us-east-1");
    const image = (await client.send(new DescribeImagesCommand({ ImageIds: [estate.appImage] }))).Images![0]!;
    client.destroy();
    assert.equal(image.ImdsSupport, "v2.0");
  });
});
