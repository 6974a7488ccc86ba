/**
 * CloudWatch's IMDS metrics on the API endpoint, judged by real clients: the AWS CLI v1 and boto3
 * (smithy RPC v2 CBOR), @aws-sdk/client-cloudwatch (AWS JSON 1.0) and Debian's AWS CLI v2 2.9
 * (Query). Each must see exactly the token-less requests made with raw HTTP, rejected ones
 * apart, the same figure as Prometheus' /metrics, and the same after a restart.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { EC2Client, ModifyInstanceMetadataOptionsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { TEST_CREDENTIALS, TEST_CREDENTIALS_ENV } from "../support/migration-estate.ts";

const DEBIAN_AWS_CLI_V2 = "/usr/bin/aws";
const V1_CALLS = 7;
const REJECTED_CALLS = 3;

function awsCliV1(api: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync("python3", ["-m", "awscli", ...args, "--endpoint-url", api, "--region", "us-east-1", "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, ...TEST_CREDENTIALS_ENV },
    timeout: 60_000,
  });
}

function window(): { start: string; end: string } {
  const now = Date.now();
  return { start: new Date(now - 3_600_000).toISOString(), end: new Date(now + 120_000).toISOString() };
}

function statisticsArgs(instanceId: string, metric: string, extra: string[] = []): string[] {
  const { start, end } = window();
  return [
    "cloudwatch", "get-metric-statistics", "--namespace", "AWS/EC2", "--metric-name", metric,
    "--dimensions", `Name=InstanceId,Value=${instanceId}`, "--statistics", "Sum",
    "--start-time", start, "--end-time", end, "--period", "3600", ...extra,
  ];
}

function sumOf(stdout: string): number {
  const answer = JSON.parse(stdout) as { Datapoints: { Sum: number }[] };
  return answer.Datapoints.reduce((n, d) => n + d.Sum, 0);
}

async function prometheusCount(api: string, metric: string, instanceId: string): Promise<number> {
  const text = (await rawRequest(api, { path: "/metrics" })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${metric}{`) && l.includes(`instance_id="${instanceId}"`));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

describe("CloudWatch IMDS metrics with real clients", () => {
  let emulator: EmulatorProcess;
  let api: string;
  let v1Instance: string;
  let rejectingInstance: string;
  const statePath = join(mkdtempSync(join(tmpdir(), "imds-lab-cloudwatch-")), "state.db");

  before(async () => {
    emulator = await startEmulatorProcess(["--state", statePath, "--options-apply-delay-ms", "0"]);
    api = emulator.ready.api;
    v1Instance = emulator.ready.defaultInstanceId;
    const ec2 = new EC2Client({ region: "us-east-1", endpoint: api, credentials: TEST_CREDENTIALS });
    const launched = await ec2.send(new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1 }));
    rejectingInstance = launched.Instances![0]!.InstanceId!;
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: rejectingInstance, HttpTokens: "required" }));
    ec2.destroy();
    const list = JSON.parse((await rawRequest(api, { path: "/_imds-lab/instances" })).text()) as { instanceId: string; imds: string }[];
    const imdsOf = (id: string) => list.find((i) => i.instanceId === id)!.imds;
    for (let i = 0; i < V1_CALLS; i++) assert.equal((await rawRequest(imdsOf(v1Instance), { path: "/latest/meta-data/instance-id" })).status, 200);
    // IMDSv2 calls are not MetadataNoToken.
    const token = (await rawRequest(imdsOf(v1Instance), { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } })).text();
    await rawRequest(imdsOf(v1Instance), { path: "/latest/meta-data/ami-id", headers: { "X-aws-ec2-metadata-token": token } });
    for (let i = 0; i < REJECTED_CALLS; i++) assert.equal((await rawRequest(imdsOf(rejectingInstance), { path: "/latest/meta-data/" })).status, 401);
  });

  after(async () => {
    await emulator?.stop();
  });

  it("cloudwatch: the AWS CLI v1 (RPC v2 CBOR) counts every token-less request, rejected ones apart", () => {
    const v1 = awsCliV1(api, statisticsArgs(v1Instance, "MetadataNoToken"));
    assert.equal(v1.status, 0, v1.stderr);
    assert.equal(sumOf(v1.stdout), V1_CALLS);
    const rejected = awsCliV1(api, statisticsArgs(rejectingInstance, "MetadataNoTokenRejected"));
    assert.equal(sumOf(rejected.stdout), REJECTED_CALLS);
    assert.equal(sumOf(awsCliV1(api, statisticsArgs(rejectingInstance, "MetadataNoToken")).stdout), 0);
  });

  it("cloudwatch: boto3 get_metric_data over RPC v2 CBOR", () => {
    const script = `
import boto3, datetime, json, sys
cw = boto3.client("cloudwatch", endpoint_url=sys.argv[1], region_name="us-east-1")
assert cw.meta.service_model.protocol == "smithy-rpc-v2-cbor", cw.meta.service_model.protocol
now = datetime.datetime.now(datetime.timezone.utc)
q = [{"Id": "v1", "MetricStat": {"Metric": {"Namespace": "AWS/EC2", "MetricName": "MetadataNoToken", "Dimensions": [{"Name": "InstanceId", "Value": sys.argv[2]}]}, "Period": 60, "Stat": "Sum"}}]
r = cw.get_metric_data(MetricDataQueries=q, StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(minutes=2))
res = r["MetricDataResults"][0]
assert all(isinstance(t, datetime.datetime) for t in res["Timestamps"])
print(json.dumps({"sum": sum(res["Values"]), "status": res["StatusCode"]}))
`;
    const run = spawnSync("python3", ["-c", script, api, v1Instance], { encoding: "utf8", env: { ...process.env, ...TEST_CREDENTIALS_ENV }, timeout: 60_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { sum: V1_CALLS, status: "Complete" });
  });

  it("cloudwatch: @aws-sdk/client-cloudwatch (AWS JSON 1.0): GetMetricData, GetMetricStatistics, ListMetrics", async () => {
    const cw = new CloudWatchClient({ region: "us-east-1", endpoint: api, credentials: TEST_CREDENTIALS });
    const now = Date.now();
    const metric = { Namespace: "AWS/EC2", MetricName: "MetadataNoToken", Dimensions: [{ Name: "InstanceId", Value: v1Instance }] };
    const data = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [
          { Id: "v1", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } },
          { Id: "rejected", MetricStat: { Metric: { ...metric, MetricName: "MetadataNoTokenRejected", Dimensions: [{ Name: "InstanceId", Value: rejectingInstance }] }, Period: 300, Stat: "Sum" } },
        ],
        StartTime: new Date(now - 3_600_000),
        EndTime: new Date(now + 120_000),
      }),
    );
    const sum = (id: string) => (data.MetricDataResults ?? []).find((r) => r.Id === id)!.Values!.reduce((a, b) => a + b, 0);
    assert.equal(sum("v1"), V1_CALLS);
    assert.equal(sum("rejected"), REJECTED_CALLS);
    assert.ok(data.MetricDataResults![0]!.Timestamps![0] instanceof Date);
    const stats = await cw.send(new GetMetricStatisticsCommand({ ...metric, StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 120_000), Period: 3600, Statistics: ["Sum", "SampleCount"] }));
    assert.equal(stats.Datapoints!.reduce((n, d) => n + d.Sum!, 0), V1_CALLS);
    const listed = await cw.send(new ListMetricsCommand({ Namespace: "AWS/EC2", Dimensions: [{ Name: "InstanceId", Value: rejectingInstance }] }));
    assert.deepEqual(listed.Metrics!.map((m) => m.MetricName).sort(), ["MetadataNoToken", "MetadataNoTokenRejected"]);
    await assert.rejects(
      cw.send(new GetMetricStatisticsCommand({ ...metric, StartTime: new Date(now), EndTime: new Date(now - 60_000), Period: 60, Statistics: ["Sum"] })),
      // The SDK names the error by its shape and reports the Query code from x-amzn-query-error.
      (err: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) =>
        err.name === "InvalidParameterValueException" && err.Code === "InvalidParameterValue" && err.$metadata?.httpStatusCode === 400,
    );
    cw.destroy();
  });

  it("cloudwatch: Debian's AWS CLI v2 2.9 (Query protocol)", { skip: existsSync(DEBIAN_AWS_CLI_V2) ? false : "apt-get install awscli (.ci/run does)" }, () => {
    const run = (args: string[]) =>
      spawnSync(DEBIAN_AWS_CLI_V2, [...args, "--endpoint-url", api, "--region", "us-east-1", "--output", "json"], { encoding: "utf8", env: { ...process.env, ...TEST_CREDENTIALS_ENV }, timeout: 60_000 });
    const version = spawnSync(DEBIAN_AWS_CLI_V2, ["--version"], { encoding: "utf8" }).stdout;
    assert.match(version, /^aws-cli\/2\.9\./);
    const v1 = run(statisticsArgs(v1Instance, "MetadataNoToken"));
    assert.equal(v1.status, 0, v1.stderr);
    assert.equal(sumOf(v1.stdout), V1_CALLS);
    const bad = run(statisticsArgs(v1Instance, "MetadataNoToken", ["--period", "61"]).filter((a, i, all) => !(a === "3600" && all[i - 1] === "--period") && !(a === "--period" && all[i + 1] === "3600")));
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /\(InvalidParameterValue\).*multiple of 60/);
  });

  it("cloudwatch: errors in CBOR carry the Query code (awsQueryCompatible)", () => {
    const bad = awsCliV1(api, [...statisticsArgs(v1Instance, "MetadataNoToken").slice(0, -2), "--period", "90"]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /\(InvalidParameterValue\).*GetMetricStatistics.*multiple of 60/);
  });

  it("cloudwatch: Prometheus /metrics and CloudWatch agree", async () => {
    assert.equal(await prometheusCount(api, "imds_metadata_no_token_total", v1Instance), V1_CALLS);
    assert.equal(await prometheusCount(api, "imds_metadata_no_token_rejected_total", rejectingInstance), REJECTED_CALLS);
    assert.equal(sumOf(awsCliV1(api, statisticsArgs(v1Instance, "MetadataNoToken")).stdout), await prometheusCount(api, "imds_metadata_no_token_total", v1Instance));
  });

  it("cloudwatch: history survives a restart", async () => {
    await emulator.stop();
    emulator = await startEmulatorProcess(["--state", statePath]);
    api = emulator.ready.api;
    const after = awsCliV1(api, statisticsArgs(v1Instance, "MetadataNoToken"));
    assert.equal(after.status, 0, after.stderr);
    assert.equal(sumOf(after.stdout), V1_CALLS);
    // The restarted endpoint counts from zero; CloudWatch keeps adding to what it stored.
    const list = JSON.parse((await rawRequest(api, { path: "/_imds-lab/instances" })).text()) as { instanceId: string; imds: string }[];
    await rawRequest(list.find((i) => i.instanceId === v1Instance)!.imds, { path: "/latest/meta-data/" });
    assert.equal(sumOf(awsCliV1(api, statisticsArgs(v1Instance, "MetadataNoToken")).stdout), V1_CALLS + 1);
  });
});
