import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { BIN, startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";

/** `imds-lab events ...` as a user runs it; returns stdout. */
function cli(api: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [BIN, "events", ...args, "--endpoint-url", api], { encoding: "utf8", timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** What the SDK reads at `path`, or null while it answers 404. */
async function read(service: MetadataService, path: string): Promise<string | null> {
  try {
    return await service.request(path, {});
  } catch (err) {
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
    throw err;
  }
}

/** Polls as a spot-aware app does (every 200 ms here, 5 s in AWS's guidance), bounded. */
async function pollUntil(service: MetadataService, path: string, accept: (body: string | null) => boolean): Promise<string | null> {
  for (let i = 0; i < 50; i++) {
    const body = await read(service, path);
    if (accept(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${path} never changed as expected`);
}

describe("scheduled events seen by real clients (imds-lab events)", () => {
  let emulator: EmulatorProcess;
  let service: MetadataService;
  before(async () => {
    emulator = await startEmulatorProcess(["--http-tokens", "required"]);
    service = new MetadataService({ endpoint: emulator.ready.imds, httpOptions: { timeout: 2000 }, retries: 0 });
  });
  after(async () => {
    await emulator.stop();
  });

  it("spot interruption: @aws-sdk/ec2-metadata-service polling spot/instance-action sees it appear on time, two minutes ahead", async () => {
    // The default instance is on-demand: a spot notice there is refused (docs/behaviour.md#spot-events-need-spot).
    const refused = spawnSync(process.execPath, [BIN, "events", "schedule", "--kind", "spot-interruption", "--endpoint-url", emulator.ready.api], { encoding: "utf8", timeout: 30_000 });
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /IncorrectInstanceState/);
    const ec2 = new EC2Client({ endpoint: emulator.ready.api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1, InstanceMarketOptions: { MarketType: "spot" } }));
    ec2.destroy();
    const spotId = run.Instances![0]!.InstanceId!;
    const listed = (await (await fetch(`${emulator.ready.api}/_imds-lab/instances`)).json()) as Array<{ instanceId: string; imds: string }>;
    const spotImds = listed.find((i) => i.instanceId === spotId)!.imds;
    const spot = new MetadataService({ endpoint: spotImds, httpOptions: { timeout: 2000 }, retries: 0 });
    assert.equal(await read(spot, "/latest/meta-data/instance-life-cycle"), "spot");
    assert.equal(await read(spot, "/latest/meta-data/spot/instance-action"), null);
    const line = cli(emulator.ready.api, "schedule", "--instance", spotId, "--kind", "spot-interruption", "--in", "1s", "--action", "terminate");
    const id = /^(evt-[0-9a-f]+): spot-interruption on (i-[0-9a-f]+) appears (\S+), ends (\S+)$/.exec(line.trim());
    assert.ok(id, line);
    assert.equal(id[2], spotId);
    const body = await pollUntil(spot, "/latest/meta-data/spot/instance-action", (b) => b !== null);
    const notice = JSON.parse(body!) as { action: string; time: string };
    assert.equal(notice.action, "terminate");
    assert.equal(Date.parse(notice.time) - Date.parse(id[3]!), 120_000);
    assert.equal(notice.time, id[4]);
    assert.equal(await read(spot, "/latest/meta-data/spot/termination-time"), notice.time);
    assert.match(cli(emulator.ready.api, "list"), new RegExp(`${id[1]}.*spot-interruption.*active`));
    assert.match(cli(emulator.ready.api, "cancel", "--id", id[1]!), /cancelled 1 event/);
    assert.equal(await read(spot, "/latest/meta-data/spot/instance-action"), null);
  });

  it("rebalance recommendation and Auto Scaling target lifecycle state, through the control API", async () => {
    const post = (body: unknown) => fetch(`${emulator.ready.api}/_imds-lab/events`, { method: "POST", body: JSON.stringify(body) });
    assert.equal((await post({ kind: "rebalance", in: 0 })).status, 201);
    assert.equal((await post({ kind: "autoscaling", in: 0.5, state: "Warmed:Stopped" })).status, 201);
    const rebalance = JSON.parse((await read(service, "/latest/meta-data/events/recommendations/rebalance"))!) as { noticeTime: string };
    assert.match(rebalance.noticeTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(await pollUntil(service, "/latest/meta-data/autoscaling/target-lifecycle-state", (b) => b !== null), "Warmed:Stopped");
    assert.equal((await post({ kind: "rebalance", instanceId: "i-00000000000000000" })).status, 404);
    assert.equal((await post({ kind: "autoscaling", action: "stop" })).status, 400);
  });

  it("scheduled maintenance: listed as active, then in history as completed once NotAfter passes", async () => {
    cli(emulator.ready.api, "schedule", "--kind", "maintenance", "--code", "instance-reboot", "--starts-in", "0s", "--window", "4s");
    const scheduled = JSON.parse((await read(service, "/latest/meta-data/events/maintenance/scheduled"))!) as Array<Record<string, string>>;
    assert.equal(scheduled.length, 1);
    assert.deepEqual(Object.keys(scheduled[0]!), ["NotBefore", "Code", "Description", "EventId", "NotAfter", "State"]);
    assert.equal(scheduled[0]!.State, "active");
    assert.match(scheduled[0]!.EventId!, /^instance-event-[0-9a-f]{17}$/);
    assert.match(scheduled[0]!.NotBefore!, /^\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
    const history = await pollUntil(service, "/latest/meta-data/events/maintenance/history", (b) => b !== null && b !== "[]");
    assert.equal((JSON.parse(history!) as Array<Record<string, string>>)[0]?.State, "completed");
    assert.equal(await read(service, "/latest/meta-data/events/maintenance/scheduled"), "[]");
  });
});
