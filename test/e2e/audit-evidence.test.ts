/**
 * `audit` reads AWS's evidence of IMDSv1 use (CloudWatch MetadataNoToken) and walks accounts:
 * 3 accounts x 2 Regions on imds-lab with --auth verify, the toolkit assuming a role in each
 * (STS AssumeRole, credentials that sign as that account), one IMDSv1 caller in one of them;
 * the one report names exactly that instance as breaking and the five others as safe.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { Finding } from "../../src/domain/migration/audit-findings.ts";
import type { MigrationPlan } from "../../src/domain/migration/plan-steps.ts";
import type { AuditDocument } from "../../src/toolkit/cli-support.ts";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { imdsLab } from "../support/migration-callers.ts";
import { TEST_CREDENTIALS } from "../support/migration-estate.ts";

const MANAGEMENT = "123456789012";
const ACCOUNTS = ["111111111111", "222222222222", "333333333333"];
const REGIONS = ["us-east-1", "eu-west-1"];
const ROLE = "OrganizationAccountAccessRole";
const V1_CALLS = 4;

describe("audit: CloudWatch evidence across accounts", () => {
  let emulator: EmulatorProcess;
  let api: string;
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-audit-evidence-"));
  const launched: { account: string; region: string; instanceId: string }[] = [];
  let caller: { account: string; region: string; instanceId: string };

  before(async () => {
    const governance = join(dir, "governance.json");
    writeFileSync(
      governance,
      JSON.stringify({ accessKeys: [{ ...TEST_CREDENTIALS, principalArn: `arn:aws:iam::${MANAGEMENT}:user/auditor` }] }),
    );
    emulator = await startEmulatorProcess(["--auth", "verify", "--governance-file", governance, "--account-id", MANAGEMENT]);
    api = emulator.ready.api;
    const sts = new STSClient({ region: "us-east-1", endpoint: api, credentials: TEST_CREDENTIALS });
    for (const account of ACCOUNTS) {
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE}`, RoleSessionName: "setup" }));
      const c = assumed.Credentials!;
      for (const region of REGIONS) {
        const ec2 = new EC2Client({ region, endpoint: api, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
        const answer = await ec2.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1 }));
        launched.push({ account, region, instanceId: answer.Instances![0]!.InstanceId! });
        ec2.destroy();
      }
    }
    sts.destroy();
    caller = launched.find((l) => l.account === "222222222222" && l.region === "eu-west-1")!;
    const list = JSON.parse((await rawRequest(api, { path: "/_imds-lab/instances", headers: { authorization: `Bearer ${String(emulator.ready.adminToken)}` } })).text()) as { instanceId: string; imds: string }[];
    const imds = (id: string) => list.find((i) => i.instanceId === id)!.imds;
    for (let i = 0; i < V1_CALLS; i++) assert.equal((await rawRequest(imds(caller.instanceId), { path: "/latest/meta-data/instance-id" })).status, 200);
    // Everyone else uses IMDSv2 only.
    for (const other of launched.filter((l) => l !== caller)) {
      const token = (await rawRequest(imds(other.instanceId), { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } })).text();
      assert.equal((await rawRequest(imds(other.instanceId), { path: "/latest/meta-data/", headers: { "X-aws-ec2-metadata-token": token } })).status, 200);
    }
  });

  after(async () => {
    await emulator?.stop();
  });

  const instanceFindings = (doc: AuditDocument): Finding[] => doc.findings.filter((f) => f.rule === "instance-imdsv1-allowed");

  it("audit --role-name --accounts: 3 accounts x 2 Regions, one report, the one breaking instance named", () => {
    const run = imdsLab(["audit", "--endpoint-url", api, "--regions", REGIONS.join(","), "--role-name", ROLE, "--accounts", ACCOUNTS.join(","), "--json"]);
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as AuditDocument;
    assert.deepEqual(doc.inventory.accounts, ACCOUNTS);
    const findings = instanceFindings(doc);
    assert.deepEqual(findings.map((f) => `${f.accountId}/${f.region}/${f.resourceId}`).sort(), launched.map((l) => `${l.account}/${l.region}/${l.instanceId}`).sort());
    const breaking = findings.filter((f) => /breaks: /.test(f.message));
    assert.equal(breaking.length, 1);
    assert.equal(breaking[0]!.resourceId, caller.instanceId);
    assert.equal(breaking[0]!.accountId, caller.account);
    assert.match(breaking[0]!.message, new RegExp(`breaks: ${V1_CALLS} IMDSv1 call\\(s\\) in 14d, last at \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:00\\.000Z`));
    assert.equal(breaking[0]!.data.imdsv1Calls, V1_CALLS);
    for (const f of findings.filter((x) => x !== breaking[0])) assert.match(f.message, /no IMDSv1 use seen in 14d — safe to require/);
    const table = imdsLab(["audit", "--endpoint-url", api, "--regions", REGIONS.join(","), "--role-name", ROLE, "--accounts", ACCOUNTS.join(","), "--no-progress"]);
    assert.match(table.stdout, /account/);
    assert.match(table.stdout, /3 account\(s\), 6 region\(s\)/);
  });

  it("audit --report adds the callers imds-lab observed to the CloudWatch verdict", () => {
    // With --auth verify the report (a control-API route) needs the admin token of the ready line.
    process.env.IMDS_LAB_ADMIN_TOKEN = String(emulator.ready.adminToken);
    const run = imdsLab(["audit", "--endpoint-url", api, "--regions", "eu-west-1", "--role-name", ROLE, "--accounts", caller.account, "--report", api, "--json", "--no-progress"]);
    delete process.env.IMDS_LAB_ADMIN_TOKEN;
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as AuditDocument;
    const breaking = instanceFindings(doc).find((f) => f.resourceId === caller.instanceId)!;
    // This test process made the calls: the report names it (by process where it could attribute it, else by address and User-Agent).
    assert.match(breaking.message, new RegExp(`breaks: ${V1_CALLS} IMDSv1 call\\(s\\) in 14d, last at \\S+; callers: \\S`));
    assert.ok(doc.findings.some((f) => f.rule === "observed-imdsv1-caller" && f.resourceId === caller.instanceId));
  });

  it("audit --role-name without --accounts walks the Organization (ListAccounts)", () => {
    const run = imdsLab(["audit", "--endpoint-url", api, "--regions", REGIONS.join(","), "--role-name", ROLE, "--json", "--no-progress"]);
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as AuditDocument;
    assert.deepEqual(doc.inventory.accounts, [...ACCOUNTS, MANAGEMENT].sort());
    assert.equal(instanceFindings(doc).filter((f) => /breaks: /.test(f.message)).length, 1);
  });

  it("plan orders the instances by the evidence: safe ones first", () => {
    const auditFile = join(dir, "audit-222.json");
    const run = imdsLab(["audit", "--endpoint-url", api, "--regions", "eu-west-1,us-east-1", "--role-name", ROLE, "--accounts", caller.account, "--output", auditFile, "--json", "--no-progress"]);
    assert.equal(run.status, 0, run.stderr);
    const planned = imdsLab(["plan", "--audit", auditFile, "--json"]);
    assert.equal(planned.status, 0, planned.stderr);
    const plan = JSON.parse(planned.stdout) as MigrationPlan;
    const order = plan.steps.filter((s) => s.action.kind === "require-v2-instance").map((s) => s.resourceId);
    const safe = launched.find((l) => l.account === caller.account && l.region === "us-east-1")!.instanceId;
    assert.deepEqual(order, [safe, caller.instanceId]);
    const notes = plan.steps.find((s) => s.resourceId === caller.instanceId)!.notes.join(" ");
    assert.match(notes, /CloudWatch: breaks: 4 IMDSv1 call/);
    const multi = imdsLab(["plan", "--audit", join(dir, "multi.json")]);
    assert.notEqual(multi.status, 0);
  });
});
