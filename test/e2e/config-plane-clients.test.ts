import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import {
  CreateLaunchTemplateCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceMetadataDefaultsCommand,
  RunInstancesCommand,
  type HttpTokensState,
} from "@aws-sdk/client-ec2";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";

const AL2023_V2 = "ami-0a3c3a20c09d6f377"; // public image with ImdsSupport=v2.0
const AL2_NO_FLAG = "ami-0453ec754f44f9a4a"; // public image without ImdsSupport

const CREDENTIALS_ENV = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  AWS_EC2_METADATA_DISABLED: "true",
};

/** The AWS CLI v1 (`python3 -m awscli`), JSON output; throws with stderr on a non-zero exit. */
function aws(api: string, args: string[], region = "us-east-1"): any {
  const result = spawnSync("python3", ["-m", "awscli", "ec2", ...args, "--endpoint-url", api, "--region", region, "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, ...CREDENTIALS_ENV },
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`aws ec2 ${args.join(" ")} -> ${result.status}: ${result.stderr}`);
  return result.stdout.trim() === "" ? {} : JSON.parse(result.stdout);
}

function awsFails(api: string, args: string[], region = "us-east-1"): string {
  const result = spawnSync("python3", ["-m", "awscli", "ec2", ...args, "--endpoint-url", api, "--region", region, "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, ...CREDENTIALS_ENV },
    timeout: 60_000,
  });
  assert.notEqual(result.status, 0, `expected aws ec2 ${args.join(" ")} to fail`);
  return result.stderr;
}

async function imdsOf(api: string, instanceId: string): Promise<string> {
  // A fresh connection each time: a pooled one may have been closed by the server while the CLI ran.
  const list = JSON.parse((await rawRequest(api, { path: "/_imds-lab/instances" })).text()) as { instanceId: string; imds: string | null }[];
  const entry = list.find((i) => i.instanceId === instanceId);
  assert.ok(entry?.imds, `instance ${instanceId} has a live IMDS endpoint`);
  return entry.imds;
}

async function tokenlessStatus(api: string, instanceId: string): Promise<number> {
  return (await rawRequest(await imdsOf(api, instanceId), { path: "/latest/meta-data/instance-id" })).status;
}

describe("configuration plane: the seed scenario with the AWS CLI v1", () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
  });
  after(async () => {
    await emulator.stop();
  });

  it("aws cli v1: AMI, account defaults, launch template and instance levels, each reflected in DescribeInstances and the live IMDS", async () => {
    const api = emulator.ready.api;
    // AMI level: register an image and set ImdsSupport=v2.0 (irreversible).
    const { ImageId } = aws(api, ["register-image", "--name", "app-image", "--architecture", "x86_64", "--root-device-name", "/dev/xvda"]);
    aws(api, ["modify-image-attribute", "--image-id", ImageId, "--imds-support", "Value=v2.0"]);
    const attribute = aws(api, ["describe-image-attribute", "--image-id", ImageId, "--attribute", "imdsSupport"]);
    assert.equal(attribute.ImdsSupport.Value, "v2.0");
    const fromAmi = aws(api, ["run-instances", "--image-id", ImageId, "--count", "1"]).Instances[0];
    assert.equal(fromAmi.MetadataOptions.HttpTokens, "required");
    assert.equal(fromAmi.MetadataOptions.HttpPutResponseHopLimit, 2);
    assert.equal(await tokenlessStatus(api, fromAmi.InstanceId), 401);

    // Account level, per region: IMDSv2 and hop limit 2 by default in us-east-1 only.
    aws(api, ["modify-instance-metadata-defaults", "--http-tokens", "required", "--http-put-response-hop-limit", "2"]);
    const defaults = aws(api, ["get-instance-metadata-defaults"]).AccountLevel;
    assert.equal(defaults.HttpTokens, "required");
    assert.equal(defaults.HttpPutResponseHopLimit, 2);
    assert.deepEqual(aws(api, ["get-instance-metadata-defaults"], "eu-west-1").AccountLevel, { ManagedBy: "account" });
    const fromAccount = aws(api, ["run-instances", "--image-id", AL2_NO_FLAG, "--count", "1"]).Instances[0];
    assert.equal(fromAccount.MetadataOptions.HttpTokens, "required");
    const otherRegion = aws(api, ["run-instances", "--image-id", AL2_NO_FLAG, "--count", "1"], "eu-west-1").Instances[0];
    assert.equal(otherRegion.MetadataOptions.HttpTokens, "optional");

    // Launch template level: the template's options beat the account's.
    const template = aws(api, [
      "create-launch-template",
      "--launch-template-name", "web",
      "--launch-template-data", JSON.stringify({ ImageId: AL2_NO_FLAG, MetadataOptions: { HttpTokens: "optional", HttpPutResponseHopLimit: 3, InstanceMetadataTags: "enabled" } }),
    ]).LaunchTemplate;
    const fromTemplate = aws(api, ["run-instances", "--launch-template", `LaunchTemplateId=${template.LaunchTemplateId}`, "--count", "1", "--tag-specifications", "ResourceType=instance,Tags=[{Key=Team,Value=payments}]"]).Instances[0];
    assert.equal(fromTemplate.MetadataOptions.HttpTokens, "optional");
    assert.equal(fromTemplate.MetadataOptions.HttpPutResponseHopLimit, 3);
    const imds = await imdsOf(api, fromTemplate.InstanceId);
    assert.equal((await rawRequest(imds, { path: "/latest/meta-data/tags/instance/Team" })).text(), "payments");

    // Instance level: require IMDSv2 on the running instance; fields not given are kept.
    const modified = aws(api, ["modify-instance-metadata-options", "--instance-id", fromTemplate.InstanceId, "--http-tokens", "required", "--http-endpoint", "enabled"]);
    assert.equal(modified.InstanceMetadataOptions.HttpTokens, "required");
    assert.equal(modified.InstanceMetadataOptions.HttpPutResponseHopLimit, 3);
    assert.equal(modified.InstanceMetadataOptions.InstanceMetadataTags, "enabled");
    assert.equal(await tokenlessStatus(api, fromTemplate.InstanceId), 401);

    // DescribeInstances filters by the metadata options, as the seed's audit step does.
    const optional = aws(api, ["describe-instances", "--filters", "Name=metadata-options.http-tokens,Values=optional"]);
    const optionalIds = optional.Reservations.flatMap((r: any) => r.Instances.map((i: any) => i.InstanceId));
    assert.ok(!optionalIds.includes(fromTemplate.InstanceId));
    assert.ok(optionalIds.includes(emulator.ready.defaultInstanceId));

    // Enforcement: a launch that resolves to optional is refused with EC2's error.
    aws(api, ["modify-instance-metadata-defaults", "--http-tokens-enforced", "enabled"]);
    const error = awsFails(api, ["run-instances", "--image-id", AL2_NO_FLAG, "--count", "1", "--metadata-options", "HttpTokens=optional"]);
    assert.match(error, /UnsupportedOperation/);
    assert.match(error, /httpTokensEnforced is enabled/);

    // The AMI flag cannot be undone.
    assert.match(awsFails(api, ["modify-image-attribute", "--image-id", ImageId, "--attribute", "imdsSupport", "--value", "v1.0"]), /InvalidParameterValue/);
  });
});

describe("configuration plane: precedence table (spec §3.1) row by row with @aws-sdk/client-ec2", () => {
  let emulator: EmulatorProcess;
  let ec2: EC2Client;
  before(async () => {
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
    ec2 = new EC2Client({ endpoint: emulator.ready.api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  });
  after(async () => {
    ec2.destroy();
    await emulator.stop();
  });

  const rows: [HttpTokensState | undefined, "no-preference" | HttpTokensState, "v2.0" | null, HttpTokensState][] = [
    ["required", "no-preference", "v2.0", "required"], ["required", "required", "v2.0", "required"], ["required", "optional", "v2.0", "required"],
    ["optional", "no-preference", "v2.0", "optional"], ["optional", "required", "v2.0", "optional"], ["optional", "optional", "v2.0", "optional"],
    [undefined, "no-preference", "v2.0", "required"], [undefined, "required", "v2.0", "required"], [undefined, "optional", "v2.0", "optional"],
    ["required", "no-preference", null, "required"], ["required", "required", null, "required"], ["required", "optional", null, "required"],
    ["optional", "no-preference", null, "optional"], ["optional", "required", null, "optional"], ["optional", "optional", null, "optional"],
    [undefined, "no-preference", null, "optional"], [undefined, "required", null, "required"], [undefined, "optional", null, "optional"],
  ];
  for (const [launch, account, ami, expected] of rows) {
    it(`sdk v3: launch ${launch ?? "not set"}, account ${account}, AMI ${ami ?? "null"} -> ${expected}`, async () => {
      await ec2.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: account }));
      const run = await ec2.send(
        new RunInstancesCommand({
          ImageId: ami === null ? AL2_NO_FLAG : AL2023_V2,
          MinCount: 1,
          MaxCount: 1,
          ...(launch === undefined ? {} : { MetadataOptions: { HttpTokens: launch } }),
        }),
      );
      const id = run.Instances![0]!.InstanceId!;
      const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      const options = described.Reservations![0]!.Instances![0]!.MetadataOptions!;
      assert.equal(options.HttpTokens, expected);
      assert.equal(options.State, "applied");
      assert.equal(await tokenlessStatus(emulator.ready.api, id), expected === "required" ? 401 : 200);
    });
  }

  it("sdk v3: a launch template's MetadataOptions apply, and RunInstances' own options win per field", async () => {
    const template = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "precedence",
        LaunchTemplateData: { ImageId: AL2_NO_FLAG, MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 4 } },
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        LaunchTemplate: { LaunchTemplateId: template.LaunchTemplate!.LaunchTemplateId!, Version: "$Latest" },
        MinCount: 1,
        MaxCount: 1,
        MetadataOptions: { HttpPutResponseHopLimit: 2 },
      }),
    );
    const options = run.Instances![0]!.MetadataOptions!;
    assert.equal(options.HttpTokens, "required");
    assert.equal(options.HttpPutResponseHopLimit, 2);
  });
});

describe("configuration plane with boto3", () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
  });
  after(async () => {
    await emulator.stop();
  });

  it("boto3: run, modify and describe; DryRun answers DryRunOperation", () => {
    const script = `
import boto3, json, sys, botocore
ec2 = boto3.client("ec2", endpoint_url=sys.argv[1], region_name="us-west-2")
run = ec2.run_instances(ImageId="${AL2023_V2}", MinCount=2, MaxCount=2, MetadataOptions={"InstanceMetadataTags": "enabled"},
                        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
ids = [i["InstanceId"] for i in run["Instances"]]
mod = ec2.modify_instance_metadata_options(InstanceId=ids[0], HttpPutResponseHopLimit=1)
try:
    ec2.modify_instance_metadata_options(InstanceId=ids[1], HttpTokens="optional", DryRun=True)
    dry = None
except botocore.exceptions.ClientError as e:
    dry = e.response["Error"]["Code"]
desc = ec2.describe_instances(Filters=[{"Name": "tag:Name", "Values": ["web"]}])
print(json.dumps({"run": [i["MetadataOptions"] for i in run["Instances"]], "mod": mod["InstanceMetadataOptions"], "dry": dry,
                  "described": sorted(i["InstanceId"] for r in desc["Reservations"] for i in r["Instances"]), "ids": sorted(ids)}))
`;
    const result = spawnSync("python3", ["-c", script, emulator.ready.api], { encoding: "utf8", env: { ...process.env, ...CREDENTIALS_ENV }, timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.equal(out.run[0].HttpTokens, "required");
    assert.equal(out.run[0].HttpPutResponseHopLimit, 2);
    assert.equal(out.run[0].InstanceMetadataTags, "enabled");
    assert.equal(out.mod.HttpPutResponseHopLimit, 1);
    assert.equal(out.mod.HttpTokens, "required");
    assert.equal(out.dry, "DryRunOperation");
    assert.deepEqual(out.described, out.ids);
  });
});
