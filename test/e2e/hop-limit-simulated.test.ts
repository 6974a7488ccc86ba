import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { EC2Client, ModifyInstanceMetadataOptionsCommand } from "@aws-sdk/client-ec2";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { putToken, send } from "../support/network-imds.ts";

// Where no namespace is used, `--hop-limit-mode simulate` gives the same outcome from the caller's
// source network: 127.0.0.2 is declared two hops away, as a container behind a bridge.
describe("simulated hop limit (imds-lab serve --hop-limit-mode simulate)", () => {
  let emulator: EmulatorProcess;
  let ec2: EC2Client;
  before(async () => {
    emulator = await startEmulatorProcess(["--hop-limit-mode", "simulate", "--simulated-networks", "127.0.0.2/32=2", "--options-apply-delay-ms", "0"]);
    ec2 = new EC2Client({ endpoint: emulator.ready.api, region: "us-east-1", credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" } });
  });
  after(async () => {
    ec2.destroy();
    await emulator.stop();
  });

  it("the ready line says how the hop limit is enforced", () => {
    assert.equal(emulator.ready.hopLimitMode, "simulate");
  });

  it("hop limit 1: a token PUT from 2 hops away gets no answer until the client gives up; GETs and local callers are served", async () => {
    const far = putToken(emulator.ready.imds, "127.0.0.2");
    const outcome = await Promise.race([
      far.answer.then((a) => `answered ${a.status}`, (e: Error) => `failed ${e.message}`),
      new Promise<string>((resolve) => setTimeout(() => resolve("silent"), 1_000)),
    ]);
    far.abort();
    assert.equal(outcome, "silent");
    assert.equal((await send(emulator.ready.imds, { localAddress: "127.0.0.2" }).answer).status, 200);
    assert.equal((await putToken(emulator.ready.imds, "127.0.0.1").answer).status, 200);
  });

  it("hop limit 2 through ModifyInstanceMetadataOptions: the same caller gets its token", async () => {
    await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: emulator.ready.defaultInstanceId, HttpPutResponseHopLimit: 2 }));
    const near = await putToken(emulator.ready.imds, "127.0.0.2").answer;
    assert.equal(near.status, 200);
    assert.equal(near.body.length, 56);
  });
});
