/**
 * The estate the dashboard e2e test and its screenshots show: three instances whose options come
 * from different levels, a Region that enforces IMDSv2, an IMDSv1 caller that is a real process
 * and steady IMDSv2 traffic, so every view has something true to say.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PATH_INSTANCES } from "../../src/api/control-paths.ts";
import { rawRequest } from "./http.ts";

const AL2_NO_FLAG = "ami-0453ec754f44f9a4a";
const AL2023_V2 = "ami-0a3c3a20c09d6f377";

/** One EC2 Query call as the CLI sends it; throws with the error body unless it succeeds. */
export async function ec2(api: string, params: Record<string, string>, region = "us-east-1"): Promise<string> {
  const response = await rawRequest(api, {
    method: "POST",
    path: "/",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/${region}/ec2/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: new URLSearchParams({ Version: "2016-11-15", ...params }).toString(),
  });
  if (response.status !== 200) throw new Error(`${params.Action}: ${response.status} ${response.text()}`);
  return response.text();
}

function named(name: string): Record<string, string> {
  return { MinCount: "1", MaxCount: "1", "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "Name", "TagSpecification.1.Tag.1.Value": name };
}

function instanceIdOf(xml: string): string {
  const match = /<instanceId>(i-[0-9a-f]+)<\/instanceId>/.exec(xml);
  if (match === null) throw new Error(`no instance id in ${xml}`);
  return match[1]!;
}

export interface ScenarioInstances {
  /** IMDSv1 allowed and used by a legacy agent: blocked. */
  readonly web: string;
  /** HttpTokens=required from the AMI's ImdsSupport. */
  readonly api: string;
  /** HttpTokens=required from its launch template. */
  readonly worker: string;
  /** IMDSv1 allowed but only called with tokens: ready. */
  readonly batch: string;
}

export async function buildScenario(api: string): Promise<ScenarioInstances> {
  await ec2(api, { Action: "ModifyInstanceMetadataDefaults", HttpPutResponseHopLimit: "2" });
  await ec2(api, { Action: "ModifyInstanceMetadataDefaults", HttpTokens: "required", HttpTokensEnforced: "enabled" }, "eu-west-1");
  await ec2(api, { Action: "CreateLaunchTemplate", LaunchTemplateName: "worker-tier", "LaunchTemplateData.ImageId": AL2_NO_FLAG, "LaunchTemplateData.MetadataOptions.HttpTokens": "required" });
  return {
    web: instanceIdOf(await ec2(api, { Action: "RunInstances", ImageId: AL2_NO_FLAG, ...named("web-1") })),
    api: instanceIdOf(await ec2(api, { Action: "RunInstances", ImageId: AL2023_V2, ...named("api-1") })),
    worker: instanceIdOf(await ec2(api, { Action: "RunInstances", "LaunchTemplate.LaunchTemplateName": "worker-tier", ...named("worker-1") })),
    batch: instanceIdOf(await ec2(api, { Action: "RunInstances", ImageId: AL2_NO_FLAG, ...named("batch-1") })),
  };
}

export async function imdsUrlOf(api: string, instanceId: string): Promise<string> {
  const list = JSON.parse((await rawRequest(api, { path: PATH_INSTANCES })).text()) as { instanceId: string; imds: string | null }[];
  const url = list.find((i) => i.instanceId === instanceId)?.imds;
  if (!url) throw new Error(`${instanceId} has no IMDS endpoint`);
  return url;
}

export async function tokenlessStatus(imds: string, path = "/latest/meta-data/instance-id"): Promise<number> {
  return (await rawRequest(imds, { path })).status;
}

export async function withToken(imds: string, path: string): Promise<{ status: number; text: string }> {
  const token = await rawRequest(imds, { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } });
  const response = await rawRequest(imds, { path, headers: { "X-aws-ec2-metadata-token": token.text() } });
  return { status: response.status, text: response.text() };
}

/**
 * A long-lived IMDSv1 caller: python3 asking for its identity without a token over one kept-alive
 * connection, as old agents do, so the access log can attribute it to its process.
 */
export function startLegacyAgent(dir: string, imds: string, seconds: number): ChildProcess {
  const script = join(dir, "legacy-agent.py");
  writeFileSync(
    script,
    [
      "import http.client, sys, time",
      "host, port = sys.argv[1].split('//')[1].split(':')",
      "deadline = time.time() + float(sys.argv[2])",
      "while time.time() < deadline:",
      "    c = http.client.HTTPConnection(host, int(port), timeout=5)",
      "    for path in ('/latest/meta-data/instance-id', '/latest/meta-data/placement/region', '/latest/meta-data/local-ipv4'):",
      "        c.request('GET', path, headers={'User-Agent': 'legacy-agent/1.4'})",
      "        c.getresponse().read()",
      "        time.sleep(0.4)",
      "    c.close()",
      "",
    ].join("\n"),
  );
  return spawn("python3", [script, imds, String(seconds)], { stdio: "ignore" });
}

/** Token-using calls every `everyMs` until stopped: the IMDSv2 side of the chart. */
export function startV2Traffic(endpoints: readonly string[], everyMs = 400): () => void {
  let round = 0;
  const timer = setInterval(() => {
    round++;
    for (const imds of endpoints) {
      for (let i = 0; i < 1 + (round % 3); i++) void withToken(imds, "/latest/meta-data/placement/region").catch(() => undefined);
    }
  }, everyMs);
  return () => clearInterval(timer);
}
