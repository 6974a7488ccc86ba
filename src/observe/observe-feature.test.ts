import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { after, before, describe, it } from "node:test";
import { settingsSchema } from "../config/settings.ts";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import { startEmulator, type RunningEmulator } from "../main.ts";

/** One request over `agent`; keep-alive keeps the client socket open, as SDKs do. */
function get(url: string, path: string, agent: Agent, headers: Record<string, string> = {}, method = "GET"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method, agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject).end();
  });
}

describe("observe feature (in process)", () => {
  let emulator: RunningEmulator;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const fetchReport = async (): Promise<CallerReport> => JSON.parse((await get(emulator.apiUrl, "/_imds-lab/report", new Agent())).body) as CallerReport;
  before(async () => {
    emulator = await startEmulator(settingsSchema.parse({ ephemeral: true, imdsPort: 0, apiPort: 0, accessLogSize: 64 }));
  });
  after(async () => {
    agent.destroy();
    await emulator.close();
  });

  it("observe: a token-less caller in this very process is attributed to our pid and command line, with its paths", async () => {
    const imds = emulator.imdsUrl;
    assert.equal((await get(imds, "/latest/meta-data/instance-id", agent, { "User-Agent": "observe-test/1" })).status, 200);
    assert.equal((await get(imds, "/latest/meta-data/placement/region", agent, { "User-Agent": "observe-test/1" })).status, 200);
    // The report waits for attribution; the keep-alive connection is still open meanwhile.
    let report = await fetchReport();
    let instance = report.instances.find((i) => i.instanceId === emulator.defaultInstanceId)!;
    assert.equal(instance.verdict, "breaks");
    assert.equal(instance.metrics.MetadataNoToken, 2);
    const [caller] = instance.v1Callers;
    assert.equal(caller?.attribution, "attributed");
    assert.equal(caller?.process?.pid, process.pid);
    assert.deepEqual(caller?.process?.command, readOwnCmdline());
    assert.deepEqual(caller?.v1Paths.map((p) => p.path).sort(), ["/latest/meta-data/instance-id", "/latest/meta-data/placement/region"]);
    assert.deepEqual(caller?.userAgents, ["observe-test/1"]);
    assert.equal(caller?.hop.requiredHopLimit, 1);

    const token = (await get(imds, "/latest/api/token", agent, { "X-aws-ec2-metadata-token-ttl-seconds": "60", "User-Agent": "observe-test/1" }, "PUT")).body;
    assert.equal((await get(imds, "/latest/meta-data/ami-id", agent, { "X-aws-ec2-metadata-token": token, "User-Agent": "observe-test/1" })).status, 200);
    report = await fetchReport();
    instance = report.instances.find((i) => i.instanceId === emulator.defaultInstanceId)!;
    // The same process, whichever connections it used, is one caller that also speaks IMDSv2.
    const same = instance.v2Callers.find((c) => c.process?.pid === process.pid);
    assert.equal(same?.key, caller?.key);
    assert.equal(same?.tokenPuts, 1);
    assert.equal(same?.v2Requests, 1);
  });

  it("observe: GET /metrics exports MetadataNoToken per instance from the live counters", async () => {
    const res = await get(emulator.apiUrl, "/metrics", new Agent());
    assert.equal(res.status, 200);
    assert.match(res.body, new RegExp(`imds_metadata_no_token_total\\{instance_id="${emulator.defaultInstanceId}",region="us-east-1"\\} 2`));
    assert.match(res.body, new RegExp(`imds_metadata_no_token_rejected_total\\{instance_id="${emulator.defaultInstanceId}",region="us-east-1"\\} 0`));
    assert.match(res.body, /# TYPE imds_metadata_no_token_total counter/);
    assert.match(res.body, /imds_lab_caller_attributions_total\{result="attributed"\} [1-9]/);
    // The EC2 Query API still answers everything else outside /_imds-lab/.
    assert.equal((await get(emulator.apiUrl, "/?Action=DescribeInstances&Version=2016-11-15", new Agent())).status, 200);
  });

  it("observe: the access log lists the newest requests first, with version, status, address and caller", async () => {
    const res = JSON.parse((await get(emulator.apiUrl, "/_imds-lab/access-log?limit=2", new Agent())).body);
    assert.equal(res.capacity, 64);
    assert.equal(res.recorded, 4);
    assert.equal(res.entries.length, 2);
    assert.deepEqual(
      res.entries.map((e: any) => [e.method, e.path, e.version, e.status, e.pid]),
      [
        ["GET", "/latest/meta-data/ami-id", "v2", 200, process.pid],
        ["PUT", "/latest/api/token", "v2", 200, res.entries[1].pid],
      ],
    );
    assert.equal(res.entries[0].remoteAddress, "127.0.0.1");
    const v1 = JSON.parse((await get(emulator.apiUrl, "/_imds-lab/access-log?version=v1", new Agent())).body);
    assert.deepEqual(v1.entries.map((e: any) => e.userAgent), ["observe-test/1", "observe-test/1"]);
  });
});

/** What /proc shows for this process: node's argv as the kernel saw it, not process.argv. */
function readOwnCmdline(): string[] {
  const parts = readFileSync("/proc/self/cmdline", "utf8").split("\0");
  return parts.slice(0, -1);
}
