/** Audit, plan, apply and rollback through the real @aws-sdk/client-ec2 against an in-process emulator. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, GetInstanceMetadataDefaultsCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { buildMigrationEstate, clientFor, TEST_CREDENTIALS, type MigrationEstate } from "../../test/support/migration-estate.ts";
import { settingsSchema } from "../config/settings.ts";
import { auditInventory } from "../domain/migration/audit-findings.ts";
import { buildMigrationPlan } from "../domain/migration/migration-plan.ts";
import type { MigrationPlan } from "../domain/migration/plan-steps.ts";
import { startEmulator, type RunningEmulator } from "../main.ts";
import { newJournal, type ApplyJournal } from "./apply-journal.ts";
import { applyPlan, ApplyRefused, rollbackJournal } from "./apply-plan.ts";
import { collectInventory } from "./collect-inventory.ts";
import { ec2ClientFactory, KNOWN_REGIONS, resolveRegions, type ClientFactory } from "./ec2-target.ts";
import { StepExecutor } from "./step-executor.ts";

const REGIONS = ["us-east-1", "eu-west-1"];
const now = () => "2026-11-29T12:00:00.000Z";

describe("toolkit against imds-lab", () => {
  let emulator: RunningEmulator;
  let estate: MigrationEstate;
  let clients: ClientFactory;

  const audit = async () => auditInventory(await collectInventory({ clients, regions: REGIONS, endpoint: emulator.apiUrl, nowMs: Date.UTC(2026, 10, 29) }));
  const instanceOptions = async (region: string, id: string) =>
    (await clients(region).send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.MetadataOptions!;

  before(async () => {
    emulator = await startEmulator(settingsSchema.parse({ ephemeral: true, imdsPort: 0, apiPort: 0, optionsApplyDelayMs: 0 }));
    estate = await buildMigrationEstate(emulator.apiUrl);
    clients = ec2ClientFactory({ endpoint: emulator.apiUrl, credentials: TEST_CREDENTIALS });
  });
  after(async () => {
    for (const r of REGIONS) clients(r).destroy();
    await emulator.close();
  });

  it("regions: `all` falls back to the built-in list where DescribeRegions is not implemented; a list is taken as given", async () => {
    assert.deepEqual(await resolveRegions("all", clients, "us-east-1"), { regions: [...KNOWN_REGIONS], source: "built-in" });
    assert.deepEqual(await resolveRegions("eu-west-1, us-east-1,eu-west-1", clients, "us-east-1"), { regions: ["eu-west-1", "us-east-1"], source: "list" });
  });

  it("audit: reads both Regions and finds IMDSv1 instances, the template's two versions, the AMIs, defaults, enforcement and the container host", async () => {
    const result = await audit();
    const ids = result.findings.map((f) => f.id);
    for (const id of [
      `instance-imdsv1-allowed:us-east-1:${estate.appInstance}`,
      `instance-imdsv1-allowed:us-east-1:${estate.stoppedInstance}`,
      `instance-imdsv1-allowed:eu-west-1:${estate.nodeInstance}`,
      `instance-hop-limit-container-host:eu-west-1:${estate.nodeInstance}`,
      `launch-template-imdsv1-allowed:eu-west-1:${estate.templateId}`,
      `image-imds-support-unset:us-east-1:${estate.appImage}`,
      `image-imds-support-unset:eu-west-1:${estate.nodeImage}`,
      "account-default-imdsv1:us-east-1:us-east-1",
      "account-enforcement-off:eu-west-1:eu-west-1",
    ]) {
      assert.ok(ids.includes(id), `missing ${id} in ${ids.join("\n")}`);
    }
    const template = result.findings.find((f) => f.rule === "launch-template-imdsv1-allowed")!;
    assert.equal(template.data.versions, "1 ($Default), 2 ($Latest)");
    assert.match(String(template.data.httpTokensFrom), /ec2-default/);
    assert.equal(result.inventory.accountId, "123456789012");
    assert.deepEqual(result.inventory.regions.map((r) => r.errors), [[], []]);
  });

  it("plan -> apply: refused without a decision on irreversible steps; the dry run changes nothing; then every instance requires IMDSv2", async () => {
    const plan = buildMigrationPlan(await audit(), undefined, Date.UTC(2026, 10, 29));
    assert.deepEqual([...new Set(plan.steps.map((s) => s.phase))], ["images", "account-defaults", "launch-templates", "instances", "enforcement"]);
    assert.equal(plan.irreversible.length, 2);
    const executor = new StepExecutor(clients);
    const journal = newJournal(plan, emulator.apiUrl, now());
    const base = { plan, save: () => undefined, executor, nowIso: now };
    await assert.rejects(applyPlan({ ...base, journal }), (err: unknown) => err instanceof ApplyRefused && err.steps.length === 2);
    await applyPlan({ ...base, journal, allowIrreversible: true, dryRunOnly: true });
    assert.equal((await instanceOptions("us-east-1", estate.appInstance)).HttpTokens, "optional");

    const outcome = await applyPlan({ ...base, journal, allowIrreversible: true });
    assert.equal(outcome.failed, undefined);
    assert.equal(outcome.counts.done, plan.steps.length);
    assert.equal((await instanceOptions("us-east-1", estate.appInstance)).HttpTokens, "required");
    assert.equal((await instanceOptions("us-east-1", estate.stoppedInstance)).HttpTokens, "required");
    const node = await instanceOptions("eu-west-1", estate.nodeInstance);
    assert.deepEqual([node.HttpTokens, node.HttpPutResponseHopLimit], ["required", 2]);
    const west = clients("eu-west-1");
    const template = (await west.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [estate.templateId] }))).LaunchTemplates![0]!;
    assert.deepEqual([template.DefaultVersionNumber, template.LatestVersionNumber], [3, 4]);
    const versions = (await west.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: estate.templateId, Versions: ["3", "4"] }))).LaunchTemplateVersions!;
    for (const v of versions) {
      assert.deepEqual(v.LaunchTemplateData?.MetadataOptions, { HttpTokens: "required", HttpPutResponseHopLimit: 2, InstanceMetadataTags: "enabled" });
    }
    // Each copy keeps its own source's other settings.
    assert.deepEqual(versions.map((v) => [v.VersionNumber, v.LaunchTemplateData?.InstanceType]).sort(), [[3, "m5.large"], [4, "m6i.large"]]);
    const defaults = (await west.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel!;
    assert.deepEqual([defaults.HttpTokens, defaults.HttpTokensEnforced], ["required", "enabled"]);
    const after = await audit();
    assert.deepEqual(after.findings.filter((f) => f.severity !== "info").map((f) => f.id), []);

    // A second apply of the same plan has nothing left to do.
    const again = await applyPlan({ ...base, journal, allowIrreversible: true });
    assert.equal(again.counts.done, plan.steps.length);

    const rollback = await rollbackJournal({ journal, save: () => undefined, executor, nowIso: now });
    assert.deepEqual([...rollback.irreversible].sort(), [...plan.irreversible].sort());
    assert.equal((await instanceOptions("us-east-1", estate.appInstance)).HttpTokens, "optional");
    assert.equal((await instanceOptions("eu-west-1", estate.nodeInstance)).HttpPutResponseHopLimit, 1);
    const restored = (await west.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [estate.templateId] }))).LaunchTemplates![0]!;
    assert.deepEqual([restored.DefaultVersionNumber, restored.LatestVersionNumber], [1, 2]);
    const back = (await west.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel!;
    assert.deepEqual([back.HttpTokens, back.HttpTokensEnforced], [undefined, undefined]);
  });
});

describe("toolkit: resume and refusals", () => {
  let emulator: RunningEmulator;
  let estate: MigrationEstate;
  let clients: ClientFactory;
  let plan: MigrationPlan;
  before(async () => {
    emulator = await startEmulator(settingsSchema.parse({ ephemeral: true, imdsPort: 0, apiPort: 0, optionsApplyDelayMs: 0 }));
    estate = await buildMigrationEstate(emulator.apiUrl);
    clients = ec2ClientFactory({ endpoint: emulator.apiUrl, credentials: TEST_CREDENTIALS });
    plan = buildMigrationPlan(auditInventory(await collectInventory({ clients, regions: REGIONS, nowMs: 0 })), undefined, 0);
  });
  after(async () => {
    for (const r of REGIONS) clients(r).destroy();
    await emulator.close();
  });

  it("apply: a step the dry run refuses stops everything before the first change", async () => {
    const client = clientFor(emulator.apiUrl, "us-east-1");
    const fresh = await buildMigrationEstate(emulator.apiUrl, "-2");
    const freshPlan = buildMigrationPlan(auditInventory(await collectInventory({ clients, regions: ["us-east-1"], nowMs: 0 })), undefined, 0);
    await client.send(new TerminateInstancesCommand({ InstanceIds: [fresh.stoppedInstance] }));
    const journal = newJournal(freshPlan, emulator.apiUrl, now());
    await assert.rejects(
      applyPlan({ plan: freshPlan, journal, save: () => undefined, executor: new StepExecutor(clients), nowIso: now, allowIrreversible: true }),
      (err: unknown) => err instanceof ApplyRefused && err.steps.some((s) => s.id.endsWith(fresh.stoppedInstance) && /IncorrectInstanceState/.test(s.reason)),
    );
    assert.equal(journal.entries.length, 0);
    const options = (await client.send(new DescribeInstancesCommand({ InstanceIds: [fresh.appInstance] }))).Reservations![0]!.Instances![0]!.MetadataOptions!;
    assert.equal(options.HttpTokens, "optional");
    client.destroy();
  });
  it("apply: a crash right after a template version was created resumes without creating it twice, and earlier steps are not rerun", async () => {
    const real = new StepExecutor(clients);
    const saved: ApplyJournal[] = [];
    const journal = newJournal(plan, emulator.apiUrl, now());
    let crashed = false;
    const crashing = {
      dryRun: (step: MigrationPlan["steps"][number]) => real.dryRun(step),
      apply: (step: MigrationPlan["steps"][number], entry: Parameters<StepExecutor["apply"]>[1], save: Parameters<StepExecutor["apply"]>[2]) =>
        real.apply(step, entry, (fields) => {
          save(fields);
          if (fields.created?.fromDefault !== undefined && !crashed) {
            crashed = true;
            throw new Error("simulated crash");
          }
        }),
    };
    const first = await applyPlan({ plan, journal, save: (j) => saved.push(structuredClone(j)), executor: crashing, nowIso: now, skipIrreversible: true });
    assert.equal(first.failed?.stepId, `launch-templates:eu-west-1:${estate.templateId}`);
    const resumedFrom: string[] = [];
    const counting = {
      dryRun: (step: MigrationPlan["steps"][number]) => real.dryRun(step),
      apply: (step: MigrationPlan["steps"][number], entry: Parameters<StepExecutor["apply"]>[1], save: Parameters<StepExecutor["apply"]>[2]) => {
        resumedFrom.push(step.id);
        return real.apply(step, entry, save);
      },
    };
    // The journal as it was last written to disk.
    const reloaded = structuredClone(saved.at(-1)!);
    const second = await applyPlan({ plan, journal: reloaded, save: () => undefined, executor: counting, nowIso: now, skipIrreversible: true });
    assert.equal(second.failed, undefined);
    assert.equal(resumedFrom[0], `launch-templates:eu-west-1:${estate.templateId}`);
    assert.ok(!resumedFrom.some((id) => id.startsWith("account-defaults")), "finished steps are not rerun");
    const template = (await clients("eu-west-1").send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [estate.templateId] }))).LaunchTemplates![0]!;
    assert.deepEqual([template.DefaultVersionNumber, template.LatestVersionNumber], [3, 4], "exactly two versions were created");
    assert.equal(second.counts.skipped, 2, "the AMI steps were skipped, not run");
  });

});
