import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { startEmulatorProcess } from "../support/emulator-process.ts";

describe("persistence under kill -9", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-kill-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("persistence: every RunInstances answered before a kill -9 in the middle of a burst is there after restart", async () => {
    const state = join(dir, "state.db");
    const first = await startEmulatorProcess(["--state", state]);
    const client = (api: string) =>
      new EC2Client({ endpoint: api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" }, maxAttempts: 1 });
    const ec2 = client(first.ready.api);
    const answered: string[] = [];
    let stop = false;
    // Four writers launch instances back to back; the process is killed while they run.
    const writers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        try {
          const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-0453ec754f44f9a4a", MinCount: 1, MaxCount: 1 }));
          answered.push(run.Instances![0]!.InstanceId!);
        } catch {
          return;
        }
      }
    });
    while (answered.length < 40) await new Promise((resolve) => setImmediate(resolve));
    await first.stop("SIGKILL");
    stop = true;
    await Promise.all(writers);
    ec2.destroy();

    const second = await startEmulatorProcess(["--state", state]);
    const reader = client(second.ready.api);
    try {
      const present = new Set<string>();
      for await (const page of paginateDescribeInstances({ client: reader, pageSize: 100 }, {})) {
        for (const reservation of page.Reservations ?? []) for (const instance of reservation.Instances ?? []) present.add(instance.InstanceId!);
      }
      const missing = answered.filter((id) => !present.has(id));
      assert.deepEqual(missing, [], `${missing.length} of ${answered.length} answered launches were lost`);
      const one = await reader.send(new DescribeInstancesCommand({ InstanceIds: [answered[0]!] }));
      assert.equal(one.Reservations![0]!.Instances![0]!.State!.Name, "running");
    } finally {
      reader.destroy();
      await second.stop();
    }
  });
});
