import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { loadIpTtl } from "../../src/imds/ip-ttl.ts";
import { BIN } from "../support/emulator-process.ts";
import { createTopology, netnsUnavailable, type Topology } from "./netns-topology.ts";

// The real hop limit (imds-spec §1.13): the emulator runs in one namespace, a real botocore client
// in another one routed hop away, as a container on EC2. With HttpPutResponseHopLimit=1 the token
// answer's TTL runs out at the router; with 2 it arrives.
const CLIENT = fileURLToPath(new URL("../clients/botocore_imds.py", import.meta.url));
const hasBotocore = spawnSync("python3", ["-c", "import botocore, awscli"], { timeout: 30_000 }).status === 0;
const skip =
  netnsUnavailable() ??
  (loadIpTtl() === null ? "the ip-ttl addon is not built (npm ci builds it); the simulated mode is tested in hop-limit-simulated" : null) ??
  (hasBotocore ? null : "python3 with botocore and awscli is not installed");

interface BotocoreResult {
  readonly credentials: { access_key: string } | null;
  readonly token_fetches: Array<{ got_token: boolean }>;
  readonly requests: Array<{ method: string; status: number | null; error?: { type: string } }>;
}

describe("hop limit over a routed hop (network namespaces)", { skip: skip ?? false }, () => {
  let net: Topology | undefined;
  let emulator: ChildProcess | undefined;
  let instanceId = "";
  const API = "http://192.0.2.1:4566";
  const IMDS = "http://192.0.2.1:1338";

  const cleanUp = () => {
    if (emulator !== undefined && emulator.exitCode === null && emulator.signalCode === null) emulator.kill("SIGKILL");
    net?.destroy();
  };

  before(async () => {
    process.once("exit", cleanUp);
    net = createTopology(`${process.pid}`);
    const child = spawn(
      "ip",
      ["netns", "exec", net.imds, process.execPath, BIN, "serve", "--ephemeral", "--imds-host", "192.0.2.1", "--imds-port", "1338",
        "--api-host", "192.0.2.1", "--api-port", "4566", "--hop-limit-mode", "ttl", "--http-tokens", "optional", "--options-apply-delay-ms", "0",
        "--no-attribute-callers"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    emulator = child;
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line; stderr:\n${stderr}`)), 20_000);
      createInterface({ input: child.stdout! }).once("line", (l) => {
        clearTimeout(timer);
        resolve(l);
      });
      child.once("exit", (code) => reject(new Error(`exited ${code}; stderr:\n${stderr}`)));
    });
    const ready = JSON.parse(line) as { imds: string; defaultInstanceId: string; hopLimitMode: string };
    assert.equal(ready.imds, IMDS);
    assert.equal(ready.hopLimitMode, "ttl");
    instanceId = ready.defaultInstanceId;
  });

  after(async () => {
    if (emulator !== undefined && emulator.exitCode === null) {
      const exited = new Promise((resolve) => emulator!.once("exit", resolve));
      emulator.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    }
    cleanUp();
    process.off("exit", cleanUp);
  });

  function botocore(namespace: string): BotocoreResult {
    const result = spawnSync("ip", ["netns", "exec", namespace, "python3", CLIENT, IMDS, "--skip-region", "--timeout", "1"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout.trim().split("\n").pop()!) as BotocoreResult;
  }

  /** The AWS CLI in the client namespace changes the option through the EC2 API, as a user would. */
  function modifyOptions(...args: string[]): void {
    const result = spawnSync(
      "ip",
      ["netns", "exec", net!.client, "python3", "-m", "awscli", "ec2", "modify-instance-metadata-options", "--instance-id", instanceId, ...args, "--endpoint-url", API, "--region", "us-east-1"],
      {
        encoding: "utf8",
        timeout: 60_000,
        // Never look for credentials or a region in a real IMDS.
        env: { ...process.env, AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "test", AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null" },
      },
    );
    assert.equal(result.status, 0, result.stderr);
  }

  it("hop limit 1: on the instance itself botocore gets a token", () => {
    const local = botocore(net!.imds);
    assert.equal(local.token_fetches[0]?.got_token, true);
    assert.ok(local.credentials);
  });

  it("hop limit 1, one routed hop away: the token PUT times out and botocore falls back to IMDSv1 (HttpTokens=optional)", () => {
    const far = botocore(net!.client);
    assert.equal(far.token_fetches[0]?.got_token, false);
    const put = far.requests.find((r) => r.method === "PUT");
    assert.equal(put?.status, null);
    assert.equal(put?.error?.type, "ReadTimeoutError");
    // GETs are not limited: the IMDSv1 fallback reaches the instance.
    assert.ok(far.requests.some((r) => r.method === "GET" && r.status === 200));
    assert.match(far.credentials?.access_key ?? "", /^ASIA/);
  });

  it("hop limit 1 with HttpTokens=required: the fallback is refused with 401 and botocore gets no credentials", () => {
    modifyOptions("--http-tokens", "required");
    const far = botocore(net!.client);
    assert.equal(far.token_fetches[0]?.got_token, false);
    assert.ok(far.requests.some((r) => r.method === "GET" && r.status === 401));
    assert.equal(far.credentials, null);
  });

  it("hop limit 2, set at runtime with ModifyInstanceMetadataOptions: the token arrives and credentials come over IMDSv2", () => {
    modifyOptions("--http-put-response-hop-limit", "2");
    const far = botocore(net!.client);
    assert.equal(far.token_fetches[0]?.got_token, true);
    assert.ok(far.requests.every((r) => r.status === 200));
    assert.match(far.credentials?.access_key ?? "", /^ASIA/);
  });
});
