import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { fromInstanceMetadata } from "@smithy/credential-provider-imds";
import { BIN, startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { send } from "../support/network-imds.ts";

const BOTOCORE = fileURLToPath(new URL("../clients/botocore_imds.py", import.meta.url));
const hasBotocore = spawnSync("python3", ["-c", "import botocore"], { timeout: 30_000 }).status === 0;

function faults(api: string, ...args: string[]): unknown {
  const result = spawnSync(process.execPath, [BIN, "faults", ...args, "--endpoint-url", api], { encoding: "utf8", timeout: 30_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

async function smithyCredentials(endpoint: string, timeout: number) {
  const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = endpoint;
  try {
    return await fromInstanceMetadata({ timeout, maxRetries: 0 })();
  } finally {
    if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
  }
}

describe("fault injection seen by real clients (imds-lab faults)", () => {
  let emulator: EmulatorProcess;
  let dir: string;
  /**
   * The control API directly, where the CLI was already shown (each CLI start costs seconds). A
   * fresh connection each time: a pooled one may have been closed by the server while a client ran.
   */
  const control = async (method: "PUT" | "DELETE", body?: unknown) => {
    const response = await rawRequest(emulator.ready.api, { method, path: "/_imds-lab/faults", ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    assert.equal(response.status, 200, response.text());
  };
  const stats = async () => {
    const body = JSON.parse((await rawRequest(emulator.ready.api, { path: "/_imds-lab/faults" })).text()) as { faults: Array<{ stats: Record<string, number> }> };
    return body.faults[0]?.stats;
  };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-faults-"));
    emulator = await startEmulatorProcess([]);
  });
  after(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("503 then recovery (a script): @aws-sdk/ec2-metadata-service retries with backoff and gets its token", async () => {
    const script = join(dir, "unavailable.json");
    writeFileSync(script, JSON.stringify({ steps: [{ fault: { throttle: { status: 503, rate: 0 } }, for: "3s" }, { fault: null }] }));
    faults(emulator.ready.api, "script", "--file", script);
    const service = new MetadataService({ endpoint: emulator.ready.imds, httpOptions: { timeout: 2000 }, retries: 20, backoff: 0.3 });
    const token = await service.fetchMetadataToken();
    assert.match(token, /^AQAEA/);
    assert.ok((await stats())!.throttled! >= 2, "the SDK saw 503s before it succeeded");
  });

  it("latency beyond the client's timeout: @smithy/credential-provider-imds gives up; without it, it succeeds", async () => {
    faults(emulator.ready.api, "set", "--latency", "1500ms");
    await assert.rejects(smithyCredentials(emulator.ready.imds, 500), /time|ETIMEDOUT|abort/i);
    await control("DELETE");
    assert.match((await smithyCredentials(emulator.ready.imds, 2000)).accessKeyId, /^ASIA/);
  });

  it("throttling with 429: botocore (no backoff between attempts) fails; under a generous rate it works", { skip: hasBotocore ? false : "python3 with botocore is not installed" }, async () => {
    faults(emulator.ready.api, "set", "--throttle", "429", "--rate", "1/s");
    const run = () => {
      const result = spawnSync("python3", [BOTOCORE, emulator.ready.imds, "--skip-region", "--attempts", "2"], { encoding: "utf8", timeout: 60_000 });
      return JSON.parse(result.stdout.trim().split("\n").pop()!) as { credentials: unknown; requests: Array<{ status: number | null }> };
    };
    const throttled = run();
    assert.equal(throttled.credentials, null);
    assert.ok(throttled.requests.some((r) => r.status === 429));
    await control("PUT", { throttle: { status: 429, rate: "100/s" } });
    assert.ok(run().credentials);
    await control("DELETE");
  });

  it("dropped connections: the SDK cannot connect (a reset); outage (timeout) recovers on time; outage (refuse) refuses", async () => {
    await control("PUT", { drop: 1 });
    await assert.rejects(smithyCredentials(emulator.ready.imds, 1000), /Unable to connect/);
    await assert.rejects(send(emulator.ready.imds).answer, { code: "ECONNRESET" });
    // Long enough to still be in force when the CLI process has exited on a loaded machine.
    faults(emulator.ready.api, "set", "--outage", "3s");
    await assert.rejects(smithyCredentials(emulator.ready.imds, 300), /time|ETIMEDOUT|abort/i);
    let recovered = false;
    for (let i = 0; i < 40 && !recovered; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      recovered = await smithyCredentials(emulator.ready.imds, 300).then(() => true, () => false);
    }
    assert.ok(recovered, "the endpoint answers again after the outage");
    await control("PUT", { outage: "refuse" });
    await assert.rejects(smithyCredentials(emulator.ready.imds, 1000), /Unable to connect/);
    await assert.rejects(send(emulator.ready.imds).answer, { code: "ECONNREFUSED" });
    await control("DELETE");
    assert.match((await smithyCredentials(emulator.ready.imds, 2000)).accessKeyId, /^ASIA/);
  });
});
