/**
 * `explain` (from the running emulator) and `resolve` (offline, from what the clients print) must
 * agree with DescribeInstances: every row of the precedence table (spec §3.1) with SDK v3 output,
 * and a launch through all levels with the AWS CLI v1's own JSON.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  EC2Client,
  GetInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataDefaultsCommand,
  RunInstancesCommand,
  type HttpTokensState,
} from "@aws-sdk/client-ec2";
import { BIN, startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";

const AL2023_V2 = "ami-0a3c3a20c09d6f377";
const AL2_NO_FLAG = "ami-0453ec754f44f9a4a";
const CLI_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
};

type Row = [HttpTokensState | undefined, "no-preference" | HttpTokensState, "v2.0" | null, HttpTokensState];
const ROWS: Row[] = [
  ["required", "no-preference", "v2.0", "required"], ["required", "required", "v2.0", "required"], ["required", "optional", "v2.0", "required"],
  ["optional", "no-preference", "v2.0", "optional"], ["optional", "required", "v2.0", "optional"], ["optional", "optional", "v2.0", "optional"],
  [undefined, "no-preference", "v2.0", "required"], [undefined, "required", "v2.0", "required"], [undefined, "optional", "v2.0", "optional"],
  ["required", "no-preference", null, "required"], ["required", "required", null, "required"], ["required", "optional", null, "required"],
  ["optional", "no-preference", null, "optional"], ["optional", "required", null, "optional"], ["optional", "optional", null, "optional"],
  [undefined, "no-preference", null, "optional"], [undefined, "required", null, "required"], [undefined, "optional", null, "optional"],
];

/** Which level decides HttpTokens, by the rule of spec §3.2. */
function expectedSource([launch, account, ami]: Row): string {
  if (launch !== undefined) return "launch-parameters";
  if (account !== "no-preference") return "account-defaults";
  return ami === "v2.0" ? "ami" : "ec2-default";
}

function withoutMetadata<T extends { $metadata?: unknown }>(output: T): Omit<T, "$metadata"> {
  const { $metadata: _omit, ...rest } = output;
  return rest;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `imds-lab ARGS` without blocking, so the 18 offline resolves can run side by side. */
function imdsLabAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

function aws(api: string, args: string[]): Run & { json(): any } {
  const r = spawnSync("python3", ["-m", "awscli", "ec2", ...args, "--endpoint-url", api, "--region", "us-east-1", "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, ...CLI_ENV },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

async function explain(api: string, instanceId: string): Promise<any> {
  const response = await rawRequest(api, { path: `/_imds-lab/explain?instanceId=${instanceId}` });
  assert.equal(response.status, 200, response.text());
  return JSON.parse(response.text());
}

describe("govern: explain and resolve agree with DescribeInstances", () => {
  let emulator: EmulatorProcess;
  let dir: string;
  let api: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-explain-"));
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
    api = emulator.ready.api;
  });
  after(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sdk v3: every row of the precedence table, HttpTokens and hop limit, value and level", async () => {
    const ec2 = new EC2Client({ endpoint: api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    const cases: { row: Row; described: any; args: string[] }[] = [];
    try {
      for (const [index, row] of ROWS.entries()) {
        const [launch, account, ami] = row;
        await ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: account }));
        const imageId = ami === null ? AL2_NO_FLAG : AL2023_V2;
        const run = await ec2.send(new RunInstancesCommand({ ImageId: imageId, MinCount: 1, MaxCount: 1, ...(launch === undefined ? {} : { MetadataOptions: { HttpTokens: launch } }) }));
        const id = run.Instances![0]!.InstanceId!;
        const described = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.MetadataOptions!;
        assert.equal(described.HttpTokens, row[3]);
        const explained = await explain(api, id);
        assert.deepEqual([explained.options.HttpTokens.value, explained.options.HttpTokens.source], [described.HttpTokens, expectedSource(row)], `row ${index}`);
        assert.equal(explained.options.HttpPutResponseHopLimit.value, described.HttpPutResponseHopLimit);
        const files = { image: join(dir, `image-${index}.json`), account: join(dir, `account-${index}.json`) };
        writeFileSync(files.image, JSON.stringify(withoutMetadata(await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] })))));
        writeFileSync(files.account, JSON.stringify(withoutMetadata(await ec2.send(new GetInstanceMetadataDefaultsCommand({})))));
        const args = ["resolve", "--image", files.image, "--account", files.account, "--json"];
        if (launch !== undefined) args.push("--launch", JSON.stringify({ HttpTokens: launch }));
        cases.push({ row, described, args });
      }
    } finally {
      ec2.destroy();
    }
    const results = await inBatches(cases, 6, (c) => imdsLabAsync(c.args));
    for (const [i, { row, described }] of cases.entries()) {
      const result = results[i]!;
      assert.equal(result.status, 0, result.stderr);
      const resolved = JSON.parse(result.stdout);
      assert.deepEqual(resolved.HttpTokens, { value: described.HttpTokens, source: expectedSource(row) }, `row ${i}`);
      assert.equal(resolved.HttpPutResponseHopLimit.value, described.HttpPutResponseHopLimit, `row ${i}`);
      assert.equal(resolved.HttpEndpoint.value, described.HttpEndpoint);
    }
  });

  it("aws cli v1: all levels at once; resolve from the CLI's own output and explain match DescribeInstances field by field", async () => {
    aws(api, ["modify-instance-metadata-defaults", "--http-tokens", "no-preference", "--http-put-response-hop-limit", "1", "--instance-metadata-tags", "enabled"]);
    const { ImageId } = aws(api, ["register-image", "--name", "explained", "--architecture", "x86_64", "--root-device-name", "/dev/xvda"]).json();
    aws(api, ["modify-image-attribute", "--image-id", ImageId, "--imds-support", "Value=v2.0"]);
    const template = aws(api, ["create-launch-template", "--launch-template-name", "explained", "--launch-template-data", JSON.stringify({ ImageId, MetadataOptions: { HttpEndpoint: "enabled", HttpPutResponseHopLimit: 3 } })]).json().LaunchTemplate;
    const run = aws(api, ["run-instances", "--launch-template", `LaunchTemplateId=${template.LaunchTemplateId}`, "--count", "1", "--metadata-options", "HttpProtocolIpv6=enabled"]);
    assert.equal(run.status, 0, run.stderr);
    const id = run.json().Instances[0].InstanceId;
    const described = aws(api, ["describe-instances", "--instance-ids", id]).json().Reservations[0].Instances[0].MetadataOptions;
    const files = { image: join(dir, "cli-image.json"), template: join(dir, "cli-template.json"), account: join(dir, "cli-account.json") };
    writeFileSync(files.image, aws(api, ["describe-images", "--image-ids", ImageId]).stdout);
    writeFileSync(files.template, aws(api, ["describe-launch-template-versions", "--launch-template-id", template.LaunchTemplateId]).stdout);
    writeFileSync(files.account, aws(api, ["get-instance-metadata-defaults"]).stdout);
    const resolved = await imdsLabAsync(["resolve", "--image", files.image, "--template", files.template, "--account", files.account, "--launch", '{"HttpProtocolIpv6":"enabled"}', "--json"]);
    assert.equal(resolved.status, 0, resolved.stderr);
    const expected = {
      HttpTokens: { value: "required", source: "ami" },
      HttpPutResponseHopLimit: { value: 3, source: "launch-template" },
      HttpEndpoint: { value: "enabled", source: "launch-template" },
      HttpProtocolIpv6: { value: "enabled", source: "launch-parameters" },
      InstanceMetadataTags: { value: "enabled", source: "account-defaults" },
    };
    assert.deepEqual(JSON.parse(resolved.stdout), expected);
    for (const [field, { value }] of Object.entries(expected)) assert.equal(described[field], value, field);
    const explained = await imdsLabAsync(["explain", id, "--endpoint-url", api, "--json"]);
    const fromServer = JSON.parse(explained.stdout).options;
    for (const [field, { value, source }] of Object.entries(expected)) assert.deepEqual([fromServer[field].value, fromServer[field].source], [value, source], field);
    const text = await imdsLabAsync(["explain", id, "--endpoint-url", api]);
    assert.match(text.stdout, /HttpPutResponseHopLimit\s+3\s+from launch template: lt-[0-9a-f]+ \(explained\) version 1/);
    assert.match(text.stdout, /The same launch today would get the same values\./);
    assert.match(text.stdout, /if the launch template set no MetadataOptions: HttpPutResponseHopLimit 3 -> 1, from account default: us-east-1/);
  });

  it("aws cli v1 and resolve: a launch that enforcement refuses fails the same way offline", async () => {
    aws(api, ["modify-instance-metadata-defaults", "--http-tokens", "required", "--http-tokens-enforced", "enabled"]);
    const refused = aws(api, ["run-instances", "--image-id", AL2_NO_FLAG, "--count", "1", "--metadata-options", "HttpTokens=optional"]);
    assert.notEqual(refused.status, 0);
    const cliError = /An error occurred \(UnsupportedOperation\) when calling the RunInstances operation: .*/.exec(refused.stderr)?.[0];
    assert.ok(cliError, refused.stderr);
    const file = join(dir, "enforced.json");
    writeFileSync(file, aws(api, ["get-instance-metadata-defaults"]).stdout);
    const offline = await imdsLabAsync(["resolve", "--account", file, "--launch", '{"HttpTokens":"optional"}', "--json"]);
    assert.equal(offline.status, 1);
    assert.equal(offline.stderr.trim(), cliError);
    assert.equal(offline.stdout, "");
    const allowed = await imdsLabAsync(["resolve", "--account", file, "--json"]);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.deepEqual(JSON.parse(allowed.stdout).HttpTokens, { value: "required", source: "account-defaults" });
    aws(api, ["modify-instance-metadata-defaults", "--http-tokens-enforced", "no-preference", "--http-tokens", "no-preference"]);
  });

  it("explain: modified after launch, unknown instances, and the default instance", async () => {
    const id = aws(api, ["run-instances", "--image-id", AL2_NO_FLAG, "--count", "1"]).json().Instances[0].InstanceId;
    aws(api, ["modify-instance-metadata-options", "--instance-id", id, "--http-tokens", "required"]);
    const explained = await explain(api, id);
    assert.equal(explained.options.HttpTokens.source, "modified-after-launch");
    assert.equal(explained.options.HttpTokens.value, "required");
    const missing = await imdsLabAsync(["explain", "i-0123456789abcdef0", "--endpoint-url", api]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /InvalidInstanceID\.NotFound/);
    // Started without option flags, the default instance has EC2's defaults (its serve flags would
    // count as launch parameters).
    const defaultInstance = await explain(api, emulator.ready.defaultInstanceId);
    assert.equal(defaultInstance.options.HttpTokens.source, "ec2-default");
  });
});
