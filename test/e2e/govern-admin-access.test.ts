/**
 * Issue 11, reproduction 4, end to end: `imds-lab serve --auth verify` used to let anyone who
 * reached the port add access keys, wipe governance and list every account's instances.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { BIN, startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";

const ALICE = { accessKeyId: "AKIAALICE00000000001", secretAccessKey: "alice-secret", accountId: "111111111111" };
const BOB = { accessKeyId: "AKIABOB0000000000001", secretAccessKey: "bob-secret", accountId: "222222222222" };

describe("govern: the emulator's own routes under --auth verify", () => {
  let emulator: EmulatorProcess;
  let dir: string;
  let api: string;
  let token: string;
  const ids: Record<string, string> = {};
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-admin-"));
    writeFileSync(join(dir, "governance.json"), JSON.stringify({ accessKeys: [ALICE, BOB] }));
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0", "--auth", "verify", "--governance-file", join(dir, "governance.json")]);
    api = emulator.ready.api;
    token = String(emulator.ready.adminToken);
    for (const who of [ALICE, BOB]) {
      const ec2 = new EC2Client({ endpoint: api, region: "us-east-1", credentials: who, maxAttempts: 1 });
      const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-0453ec754f44f9a4a", MinCount: 1, MaxCount: 1 }));
      ids[who.accountId] = run.Instances![0]!.InstanceId!;
      ec2.destroy();
    }
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function signed(who: typeof ALICE, path: string): Promise<Record<string, string>> {
    const url = new URL(path, api);
    const query = Object.fromEntries(url.searchParams);
    const signer = new SignatureV4({ credentials: who, region: "us-east-1", service: "ec2", sha256: Hash.bind(null, "sha256") });
    const request = await signer.sign({ method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query, headers: { host: url.host } });
    return request.headers as Record<string, string>;
  }

  it("serve: the ready line carries a fresh admin token once; unsigned writes to governance are refused and change nothing", async () => {
    assert.match(token, /^[A-Za-z0-9_-]{40,}$/);
    const addKey = await rawRequest(api, { method: "POST", path: "/_imds-lab/governance/access-keys", body: JSON.stringify({ accessKeyId: "AKIAEVIL000000000001", secretAccessKey: "x", accountId: BOB.accountId }) });
    assert.equal(addKey.status, 401);
    const wipe = await rawRequest(api, { method: "PUT", path: "/_imds-lab/governance", body: "{}" });
    assert.equal(wipe.status, 401);
    const governance = await rawRequest(api, { path: "/_imds-lab/governance", headers: { authorization: `Bearer ${token}` } });
    assert.equal(governance.status, 200);
    const keys = JSON.stringify(JSON.parse(governance.text()));
    assert.ok(keys.includes(ALICE.accessKeyId) && keys.includes(BOB.accessKeyId) && !keys.includes("AKIAEVIL"), keys);
  });

  it("serve: a signed caller lists and explains only its own account's instances; the token sees all", async () => {
    const path = "/_imds-lab/instances";
    const mine = await rawRequest(api, { path, headers: await signed(ALICE, path) });
    assert.equal(mine.status, 200, mine.text());
    const accounts = new Set((JSON.parse(mine.text()) as { accountId: string }[]).map((i) => i.accountId));
    assert.deepEqual([...accounts], [ALICE.accountId]);
    const other = `/_imds-lab/explain?instanceId=${ids[BOB.accountId]}`;
    assert.equal((await rawRequest(api, { path: other, headers: await signed(ALICE, other) })).status, 404);
    const own = `/_imds-lab/explain?instanceId=${ids[ALICE.accountId]}`;
    assert.equal((await rawRequest(api, { path: own, headers: await signed(ALICE, own) })).status, 200);
    const all = await rawRequest(api, { path, headers: { authorization: `Bearer ${token}` } });
    const allAccounts = new Set((JSON.parse(all.text()) as { accountId: string }[]).map((i) => i.accountId));
    assert.ok(allAccounts.has(ALICE.accountId) && allAccounts.has(BOB.accountId));
  });

  it("sdk v3: a credential scope naming a Region the endpoint does not serve is AuthFailure (reproduction 9)", async () => {
    const ec2 = new EC2Client({ endpoint: api, region: "fake-region-9", credentials: ALICE, maxAttempts: 1 });
    try {
      await assert.rejects(ec2.send(new DescribeInstancesCommand({})), (err: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(err.name, "AuthFailure");
        assert.equal(err.message, "Credential should be scoped to a valid region, not 'fake-region-9'.");
        assert.equal(err.$metadata?.httpStatusCode, 401);
        return true;
      });
    } finally {
      ec2.destroy();
    }
  });

  it("cli: `imds-lab explain` sends IMDS_LAB_ADMIN_TOKEN; without it the command is refused", () => {
    const run = (env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, [BIN, "explain", ids[BOB.accountId]!, "--endpoint-url", api, "--json"], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 60_000 });
    const withToken = run({ IMDS_LAB_ADMIN_TOKEN: token });
    assert.equal(withToken.status, 0, withToken.stderr);
    assert.equal(JSON.parse(withToken.stdout).accountId, BOB.accountId);
    const without = run({ IMDS_LAB_ADMIN_TOKEN: "" });
    assert.notEqual(without.status, 0);
    assert.match(without.stderr, /AuthFailure/);
  });
});
