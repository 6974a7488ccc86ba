/**
 * Governance end to end: `imds-lab serve --auth=verify --governance-file …` with the spec's example
 * SCP (§4.2), driven by the AWS CLI v1 and @aws-sdk/client-ec2 v3, which must receive EC2's
 * documented errors for denied calls and succeed for allowed ones; role credentials fetched from
 * an instance's IMDS over v1 and v2 exercise ec2:RoleDelivery.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, EC2Client, ModifyInstanceMetadataOptionsCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { BIN, startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { GUARDRAILS } from "../support/governance-fixtures.ts";

const ACCOUNT = "123456789012";
const AL2_NO_FLAG = "ami-0453ec754f44f9a4a";
const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const GOVERNANCE = {
  accessKeys: [{ accessKeyId: KEY, secretAccessKey: SECRET, principalArn: `arn:aws:iam::${ACCOUNT}:user/dev` }],
  scps: { [ACCOUNT]: [GUARDRAILS] },
};
const CLI_ENV = { AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true" };
const UNAUTHORIZED = /An error occurred \(UnauthorizedOperation\) when calling the (\w+) operation: You are not authorized to perform this operation\. User: arn:aws:iam::123456789012:user\/dev is not authorized to perform: ec2:\1 on resource: arn:aws:ec2:us-east-1:123456789012:instance\/\S+ with an explicit deny in a service control policy\. Encoded authorization failure message: \S+/;

function aws(api: string, args: string[], credentials: { key: string; secret: string } = { key: KEY, secret: SECRET }) {
  const result = spawnSync("python3", ["-m", "awscli", ...args, "--endpoint-url", api, "--region", "us-east-1", "--output", "json"], {
    encoding: "utf8",
    env: { ...process.env, ...CLI_ENV, AWS_ACCESS_KEY_ID: credentials.key, AWS_SECRET_ACCESS_KEY: credentials.secret },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
}

/** The CLI as the operator runs it: with --auth verify the control API needs the admin token from the ready line. */
function imdsLab(args: string[], input?: string, adminToken?: unknown) {
  const env = { ...process.env, ...(typeof adminToken === "string" ? { IMDS_LAB_ADMIN_TOKEN: adminToken } : {}) };
  return spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", input, env, timeout: 60_000 });
}

describe("govern: the spec's example SCP with --auth=verify, AWS CLI v1 and SDK v3", () => {
  let emulator: EmulatorProcess;
  let dir: string;
  let api: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-govern-"));
    writeFileSync(join(dir, "governance.json"), JSON.stringify(GOVERNANCE));
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0", "--auth", "verify", "--governance-file", join(dir, "governance.json")]);
    api = emulator.ready.api;
  });
  after(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("aws cli v1: launching without IMDSv2 is refused with UnauthorizedOperation; decode-message and STS give the reason", () => {
    const refused = aws(api, ["ec2", "run-instances", "--image-id", AL2_NO_FLAG, "--count", "1"]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, UNAUTHORIZED);
    const decoded = imdsLab(["decode-message", "-"], refused.stderr);
    assert.equal(decoded.status, 0, decoded.stderr);
    assert.match(decoded.stdout, /Deny RequireImdsV2 in SCP scp-123456789012#1 when StringNotEquals ec2:MetadataHttpTokens "required"/);
    assert.match(decoded.stdout, /ec2:MetadataHttpTokens is absent from the request/);
    const blob = /Encoded authorization failure message: (\S+)/.exec(refused.stderr)![1]!;
    const sts = aws(`${api}/_imds-lab/sts`, ["sts", "decode-authorization-message", "--encoded-message", blob]);
    assert.equal(sts.status, 0, sts.stderr);
    const message = JSON.parse(sts.json().DecodedMessage);
    assert.equal(message.explicitDeny, true);
    assert.equal(message.matchedStatements.items[0].statementId, "RequireImdsV2");
    assert.equal(message.context.action, "ec2:RunInstances");
  });

  it("aws cli v1: IMDSv2 with a hop limit up to 3 launches; above 3 is refused", () => {
    const ok = aws(api, ["ec2", "run-instances", "--image-id", AL2_NO_FLAG, "--count", "1", "--metadata-options", "HttpTokens=required,HttpPutResponseHopLimit=3"]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(ok.json().Instances[0].MetadataOptions.HttpPutResponseHopLimit, 3);
    const high = aws(api, ["ec2", "run-instances", "--image-id", AL2_NO_FLAG, "--count", "1", "--metadata-options", "HttpTokens=required,HttpPutResponseHopLimit=4"]);
    assert.match(high.stderr, UNAUTHORIZED);
    assert.match(imdsLab(["decode-message", "-"], high.stderr).stdout, /MaxImdsHopLimit/);
  });

  it("aws cli v1: HttpTokens can't be relaxed after launch; other changes pass", () => {
    const id = aws(api, ["ec2", "run-instances", "--image-id", AL2_NO_FLAG, "--count", "1", "--metadata-options", "HttpTokens=required"]).json().Instances[0].InstanceId;
    const refused = aws(api, ["ec2", "modify-instance-metadata-options", "--instance-id", id, "--http-tokens", "optional"]);
    assert.match(refused.stderr, UNAUTHORIZED);
    const hop = aws(api, ["ec2", "modify-instance-metadata-options", "--instance-id", id, "--http-put-response-hop-limit", "2"]);
    assert.equal(hop.status, 0, hop.stderr);
    assert.equal(hop.json().InstanceMetadataOptions.HttpTokens, "required");
  });

  it("aws cli v1: a wrong secret is SignatureDoesNotMatch, an unknown key AuthFailure, no signature MissingParameter", () => {
    assert.match(aws(api, ["ec2", "describe-instances"], { key: KEY, secret: "wrong" }).stderr, /\(SignatureDoesNotMatch\).*The request signature we calculated does not match/);
    assert.match(aws(api, ["ec2", "describe-instances"], { key: "AKIANOBODYEXAMPLE000", secret: SECRET }).stderr, /\(AuthFailure\).*AWS was not able to validate the provided access credentials/);
    assert.match(aws(api, ["ec2", "describe-instances", "--no-sign-request"]).stderr, /\(MissingParameter\).*AWSAccessKeyId/);
    assert.equal(aws(api, ["ec2", "describe-instances"]).status, 0);
  });

  it("sdk v3: the same decisions surface as typed errors with EC2's codes and statuses", async () => {
    const ec2 = new EC2Client({ endpoint: api, region: "us-east-1", credentials: { accessKeyId: KEY, secretAccessKey: SECRET } });
    try {
      await assert.rejects(ec2.send(new RunInstancesCommand({ ImageId: AL2_NO_FLAG, MinCount: 1, MaxCount: 1 })), (err: any) => {
        assert.equal(err.name, "UnauthorizedOperation");
        assert.equal(err.$metadata.httpStatusCode, 403);
        assert.match(err.message, /with an explicit deny in a service control policy\. Encoded authorization failure message: /);
        return true;
      });
      const run = await ec2.send(new RunInstancesCommand({ ImageId: AL2_NO_FLAG, MinCount: 1, MaxCount: 1, MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 2 } }));
      const id = run.Instances![0]!.InstanceId!;
      await assert.rejects(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: "optional" })), { name: "UnauthorizedOperation" });
      await assert.rejects(
        ec2.send(new RunInstancesCommand({ ImageId: AL2_NO_FLAG, MinCount: 1, MaxCount: 1, MetadataOptions: { HttpTokens: "required", HttpPutResponseHopLimit: 8 } })),
        { name: "UnauthorizedOperation" },
      );
      const modified = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpEndpoint: "enabled" }));
      assert.equal(modified.InstanceMetadataOptions?.HttpTokens, "required");
    } finally {
      ec2.destroy();
    }
    const wrong = new EC2Client({ endpoint: api, region: "us-east-1", credentials: { accessKeyId: KEY, secretAccessKey: "wrong" }, maxAttempts: 1 });
    await assert.rejects(wrong.send(new DescribeInstancesCommand({})), { name: "SignatureDoesNotMatch" });
    wrong.destroy();
  });

  it("sdk v3 with role credentials from IMDS: v1-delivered ones are refused (ec2:RoleDelivery 1.0), v2-delivered ones pass", async () => {
    const imds = emulator.ready.imds;
    const role = (await rawRequest(imds, { path: "/latest/meta-data/iam/security-credentials/" })).text();
    const v1 = JSON.parse((await rawRequest(imds, { path: `/latest/meta-data/iam/security-credentials/${role}` })).text());
    const token = (await rawRequest(imds, { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } })).text();
    const v2 = JSON.parse((await rawRequest(imds, { path: `/latest/meta-data/iam/security-credentials/${role}`, headers: { "X-aws-ec2-metadata-token": token } })).text());
    assert.notEqual(v1.AccessKeyId, v2.AccessKeyId);
    const client = (c: any) => new EC2Client({ endpoint: api, region: "us-east-1", credentials: { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.Token } });
    const withV1 = client(v1);
    const withV2 = client(v2);
    try {
      await assert.rejects(withV1.send(new DescribeInstancesCommand({})), (err: any) => {
        assert.equal(err.name, "UnauthorizedOperation");
        assert.match(err.message, new RegExp(`User: arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${emulator.ready.defaultInstanceId} is not authorized to perform: ec2:DescribeInstances on resource: \\* with an explicit deny in a service control policy`));
        return true;
      });
      const described = await withV2.send(new DescribeInstancesCommand({ InstanceIds: [emulator.ready.defaultInstanceId] }));
      assert.equal(described.Reservations![0]!.Instances![0]!.InstanceId, emulator.ready.defaultInstanceId);
      // Temporary credentials without their session token are not valid.
      const noToken = new EC2Client({ endpoint: api, region: "us-east-1", credentials: { accessKeyId: v2.AccessKeyId, secretAccessKey: v2.SecretAccessKey }, maxAttempts: 1 });
      await assert.rejects(noToken.send(new DescribeInstancesCommand({})), { name: "AuthFailure" });
      noToken.destroy();
    } finally {
      withV1.destroy();
      withV2.destroy();
    }
  });

  it("imds-lab governance: show hides secrets; load changes policies at run time", () => {
    const shown = imdsLab(["governance", "show", "--endpoint-url", api], undefined, emulator.ready.adminToken);
    assert.equal(shown.status, 0, shown.stderr);
    assert.ok(!shown.stdout.includes(SECRET));
    assert.match(shown.stdout, /RequireImdsV2/);
    writeFileSync(join(dir, "allow.json"), JSON.stringify({ scps: { [ACCOUNT]: [] } }));
    assert.equal(imdsLab(["governance", "load", join(dir, "allow.json"), "--endpoint-url", api], undefined, emulator.ready.adminToken).status, 0);
    const ok = aws(api, ["ec2", "run-instances", "--image-id", AL2_NO_FLAG, "--count", "1"]);
    assert.equal(ok.status, 0, ok.stderr);
    writeFileSync(join(dir, "back.json"), JSON.stringify(GOVERNANCE));
    assert.equal(imdsLab(["governance", "load", join(dir, "back.json"), "--replace", "--endpoint-url", api], undefined, emulator.ready.adminToken).status, 0);
    assert.match(aws(api, ["ec2", "run-instances", "--image-id", AL2_NO_FLAG, "--count", "1"]).stderr, UNAUTHORIZED);
  });
});
