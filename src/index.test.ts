import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SettingsError, startImdsLab } from "./index.ts";

const TOKEN_TTL = "X-aws-ec2-metadata-token-ttl-seconds";
const TOKEN = "X-aws-ec2-metadata-token";

function refuses(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("startImdsLab", () => {
  it("startImdsLab: serves IMDSv2 on free ports with the options given, lists the instances, and stop() closes every port", async () => {
    const lab = await startImdsLab({ httpTokens: "required", region: "eu-west-1" });
    try {
      assert.match(lab.imds, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(lab.api, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(lab.state, ":memory:");
      assert.ok(lab.dashboard.startsWith(lab.api));
      assert.equal((await fetch(`${lab.imds}/latest/meta-data/instance-id`)).status, 401, "IMDSv1 refused: httpTokens required");
      const token = await (await fetch(`${lab.imds}/latest/api/token`, { method: "PUT", headers: { [TOKEN_TTL]: "60" } })).text();
      const id = await fetch(`${lab.imds}/latest/meta-data/instance-id`, { headers: { [TOKEN]: token } });
      assert.equal(id.status, 200);
      assert.equal(await id.text(), lab.defaultInstanceId);
      const [instance, ...others] = lab.instances();
      assert.equal(others.length, 0);
      assert.equal(instance!.instanceId, lab.defaultInstanceId);
      assert.equal(instance!.region, "eu-west-1");
      assert.equal(instance!.imds, lab.imds);
      assert.equal(instance!.metadataOptions.httpTokens, "required");
    } finally {
      await lab.stop();
    }
    assert.ok(await refuses(lab.imds), "the IMDS port is closed");
    assert.ok(await refuses(lab.api), "the API port is closed");
    await lab.stop(); // a second stop is harmless
  });

  it("startImdsLab: a bad or unknown option is a SettingsError naming it", async () => {
    await assert.rejects(startImdsLab({ httpTokens: "maybe" as "required" }), (err: unknown) => err instanceof SettingsError && /httpTokens/.test(err.message));
    await assert.rejects(startImdsLab({ imdsPrt: 0 } as never), (err: unknown) => err instanceof SettingsError && /imdsPrt/.test(err.message));
  });

  it("startImdsLab: after stop() no file stays open and nothing keeps the process alive", () => {
    const dir = mkdtempSync(join(tmpdir(), "imds-lab-api-"));
    try {
      const state = join(dir, "state.db");
      const script = `
        import { readdirSync, readlinkSync } from "node:fs";
        const { startImdsLab } = await import(${JSON.stringify(fileURLToPath(new URL("./index.ts", import.meta.url)))});
        const lab = await startImdsLab({ state: ${JSON.stringify(state)} });
        await fetch(lab.imds + "/latest/meta-data/instance-id");
        await lab.stop();
        const open = readdirSync("/proc/self/fd").map((fd) => { try { return readlinkSync("/proc/self/fd/" + fd); } catch { return ""; } });
        process.stdout.write(JSON.stringify(open.filter((p) => p.startsWith(${JSON.stringify(dir)}))));
      `;
      // The child must end by itself: a listener, socket or timer left behind would keep it alive.
      const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), [], "no descriptor on the state file or its WAL");
      assert.ok(readdirSync(dir).includes("state.db"), "the state file was written");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
