/**
 * The toolkit against a second, independent implementation: moto_server. Its CloudWatch is
 * seeded with MetadataNoToken datapoints (PutMetricData) and `audit` must read them exactly as it
 * reads imds-lab's; its ModifyInstanceMetadataOptions executes DryRun requests, and `apply` must
 * say what changed, journal the step as done and let `rollback` undo it.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import type { ApplyJournal } from "../../src/toolkit/apply-journal.ts";
import type { AuditDocument } from "../../src/toolkit/cli-support.ts";
import { rawRequest } from "../support/http.ts";
import { imdsLab } from "../support/migration-callers.ts";
import { TEST_CREDENTIALS } from "../support/migration-estate.ts";

const motoAvailable = spawnSync("python3", ["-c", "import moto.server"], { encoding: "utf8" }).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("toolkit against moto_server", { skip: motoAvailable ? false : "moto is not installed" }, () => {
  let moto: ChildProcess;
  let endpoint: string;
  let busy: string;
  let quiet: string;
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-moto-"));
  const ec2 = () => new EC2Client({ region: "us-east-1", endpoint, credentials: TEST_CREDENTIALS });

  before(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
    for (let i = 0; ; i++) {
      const up = await rawRequest(endpoint, { path: "/moto-api/" }).then(() => true, () => false);
      if (up) break;
      if (i > 150) throw new Error("moto_server did not start");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const client = ec2();
    const launched = await client.send(new RunInstancesCommand({ ImageId: "ami-12c6146b", MinCount: 2, MaxCount: 2 }));
    [busy, quiet] = launched.Instances!.map((i) => i.InstanceId!) as [string, string];
    client.destroy();
    const cw = new CloudWatchClient({ region: "us-east-1", endpoint, credentials: TEST_CREDENTIALS });
    const now = Date.now();
    await cw.send(
      new PutMetricDataCommand({
        Namespace: "AWS/EC2",
        MetricData: [
          { MetricName: "MetadataNoToken", Dimensions: [{ Name: "InstanceId", Value: busy }], Timestamp: new Date(now - 40 * 60_000), Value: 3, Unit: "Count" },
          { MetricName: "MetadataNoToken", Dimensions: [{ Name: "InstanceId", Value: busy }], Timestamp: new Date(now - 10 * 60_000), Value: 2, Unit: "Count" },
        ],
      }),
    );
    cw.destroy();
  });

  after(() => {
    moto?.kill();
  });

  it("audit reads moto's CloudWatch: the seeded instance breaks, the other is safe", () => {
    const run = imdsLab(["audit", "--endpoint-url", endpoint, "--regions", "us-east-1", "--json", "--no-progress", "--output", join(dir, "audit.json")]);
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(readFileSync(join(dir, "audit.json"), "utf8")) as AuditDocument;
    const message = (id: string) => doc.findings.find((f) => f.rule === "instance-imdsv1-allowed" && f.resourceId === id)?.message ?? "";
    assert.match(message(busy), /breaks: 5 IMDSv1 call\(s\) in 14d, last at /);
    assert.match(message(quiet), /no IMDSv1 use seen in 14d — safe to require/);
    const lastAt = doc.findings.find((f) => f.resourceId === busy && f.rule === "instance-imdsv1-allowed")!.data.lastImdsv1CallAt as string;
    assert.ok(Math.abs(Date.parse(lastAt) - (Date.now() - 10 * 60_000)) < 2 * 60_000, lastAt);
  });

  it("apply against an endpoint that executes DryRun: says what changed, journals it as done, rollback undoes it", async () => {
    const planFile = join(dir, "plan.json");
    const planned = imdsLab(["plan", "--audit", join(dir, "audit.json"), "--output", planFile]);
    assert.equal(planned.status, 0, planned.stderr);
    const plan = JSON.parse(readFileSync(planFile, "utf8")) as { steps: { id: string; action: { kind: string; instanceId?: string } }[] };
    const first = plan.steps.find((s) => s.action.kind === "require-v2-instance")!;
    assert.equal(first.action.instanceId, quiet, "the instance with no IMDSv1 use comes first");
    writeFileSync(planFile, JSON.stringify(plan));
    const journalFile = join(dir, "journal.json");
    const applied = imdsLab(["apply", planFile, "--journal", journalFile, "--no-progress", "--endpoint-url", endpoint]);
    assert.notEqual(applied.status, 0);
    assert.doesNotMatch(applied.stderr, /nothing was changed/);
    assert.match(applied.stderr, new RegExp(`executed the DryRun of ${first.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} instead of only checking it: ${quiet}: HttpTokens optional -> required`));
    assert.match(applied.stderr, /imds-lab rollback --journal /);
    const journal = JSON.parse(readFileSync(journalFile, "utf8")) as ApplyJournal;
    const entry = journal.entries.find((e) => e.step.id === first.id)!;
    assert.equal(entry.status, "done");
    assert.deepEqual(entry.previous, { kind: "instance", httpTokens: "optional", httpPutResponseHopLimit: 1 });
    const tokensOf = async (id: string) => {
      const client = ec2();
      const answer = await client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      client.destroy();
      return answer.Reservations![0]!.Instances![0]!.MetadataOptions!.HttpTokens;
    };
    assert.equal(await tokensOf(quiet), "required");
    assert.equal(await tokensOf(busy), "optional", "apply stopped before the next DryRun could change it");
    const rolledBack = imdsLab(["rollback", "--journal", journalFile, "--no-progress", "--endpoint-url", endpoint]);
    assert.equal(rolledBack.status, 0, rolledBack.stderr);
    assert.equal(await tokensOf(quiet), "optional");
  });
});
