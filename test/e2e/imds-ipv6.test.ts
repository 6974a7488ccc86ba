import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { EC2Client, ModifyInstanceMetadataOptionsCommand } from "@aws-sdk/client-ec2";
import { fromInstanceMetadata } from "@smithy/credential-provider-imds";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { send } from "../support/network-imds.ts";

async function hasIpv6Loopback(): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(0, "::1", () => server.close(() => resolve(true)));
  });
}

/** The SDK reads the endpoint from the environment, as on an instance configured for IPv6. */
async function credentialsFrom(endpoint: string) {
  const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = endpoint;
  try {
    return await fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })();
  } finally {
    if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
  }
}

describe("IMDS over IPv6 (HttpProtocolIpv6)", { skip: (await hasIpv6Loopback()) ? false : "no IPv6 loopback on this machine" }, () => {
  let emulator: EmulatorProcess;
  let ec2: EC2Client;
  let dir: string;
  const modify = (HttpProtocolIpv6: "enabled" | "disabled") =>
    ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: emulator.ready.defaultInstanceId, HttpProtocolIpv6 }));
  const ipv6Endpoint = () => `http://[::1]:${new URL(emulator.ready.imds).port}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-ipv6-"));
    emulator = await startEmulatorProcess(["--state", join(dir, "state.db")]);
    ec2 = new EC2Client({ endpoint: emulator.ready.api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  });
  after(async () => {
    ec2.destroy();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("disabled (EC2's default): no imdsIpv6 in the ready line and [::1] refuses connections", async () => {
    assert.equal(emulator.ready.imdsIpv6, undefined);
    await assert.rejects(send(ipv6Endpoint()).answer, { code: "ECONNREFUSED" });
  });

  it("enabled live through ModifyInstanceMetadataOptions: @smithy/credential-provider-imds gets credentials from http://[::1]:PORT", async () => {
    await modify("enabled");
    const credentials = await credentialsFrom(ipv6Endpoint());
    assert.match(credentials.accessKeyId, /^ASIA/);
    const listed = (await (await fetch(`${emulator.ready.api}/_imds-lab/instances`)).json()) as Array<{ instanceId: string; imdsIpv6: string | null }>;
    assert.equal(listed.find((i) => i.instanceId === emulator.ready.defaultInstanceId)?.imdsIpv6, ipv6Endpoint());
  });

  it("the ready line names the IPv6 endpoint of the default instance when it serves IPv6", async () => {
    await emulator.stop();
    emulator = await startEmulatorProcess(["--state", join(dir, "state.db")]);
    ec2.destroy();
    ec2 = new EC2Client({ endpoint: emulator.ready.api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
    assert.equal(emulator.ready.imdsIpv6, ipv6Endpoint());
    assert.equal((await send(String(emulator.ready.imdsIpv6)).answer).body, emulator.ready.defaultInstanceId);
  });

  it("disabled live again: the IPv6 endpoint refuses and the SDK fails, while IPv4 still serves", async () => {
    await modify("disabled");
    await assert.rejects(credentialsFrom(ipv6Endpoint()), (err: Error & { code?: string }) => /ECONNREFUSED/.test(`${err.code} ${err.message}`));
    assert.match((await credentialsFrom(emulator.ready.imds)).accessKeyId, /^ASIA/);
  });
});
