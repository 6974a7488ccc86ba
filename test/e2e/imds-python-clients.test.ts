import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";

const CLIENTS = fileURLToPath(new URL("../clients/", import.meta.url));
const DEBIAN_PYTHON = "/usr/bin/python3";
const hasCloudInit = existsSync("/usr/lib/python3/dist-packages/cloudinit");

interface ClientResult {
  readonly error: { type: string; message: string } | null;
  readonly [key: string]: unknown;
}

/** Runs one harness script (test/clients) and returns its JSON; exit 3 means the client is not installed. */
function runClient(python: string, script: string, args: string[]): ClientResult {
  const result = spawnSync(python, [join(CLIENTS, script), ...args], { encoding: "utf8", timeout: 90_000 });
  if (result.status === 3) throw new Error(`${script}: client library not installed for ${python}: ${result.stdout}${result.stderr}`);
  assert.equal(result.status, 0, `${script} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as ClientResult;
}

for (const mode of ["optional", "required"] as const) {
  describe(`imds python clients (HttpTokens=${mode})`, () => {
    let emulator: EmulatorProcess;
    let userData: string;
    before(async () => {
      const dir = mkdtempSync(join(tmpdir(), "imds-lab-ud-"));
      userData = join(dir, "user-data");
      writeFileSync(userData, "#cloud-config\nruncmd:\n  - echo hello\n");
      emulator = await startEmulatorProcess(["--http-tokens", mode, "--user-data-file", userData, "--instance-metadata-tags", "enabled"]);
    });
    after(async () => {
      await emulator.stop();
    });

    it("botocore: InstanceMetadataFetcher gets role credentials and the region fetcher the region", () => {
      const out = runClient("python3", "botocore_imds.py", [emulator.ready.imds]);
      assert.equal(out.error, null, JSON.stringify(out.error));
      const credentials = out.credentials as { role_name: string; access_key: string; expiry_time: string };
      assert.equal(credentials.role_name, "imds-lab-role");
      assert.match(credentials.access_key, /^ASIA/);
      assert.equal(out.region, "us-east-1");
    });

    it("botocore: with IMDSv1 disabled in the client it still works, over IMDSv2", () => {
      const out = runClient("python3", "botocore_imds.py", [emulator.ready.imds, "--v1-disabled"]);
      assert.equal(out.error, null, JSON.stringify(out.error));
      assert.ok(out.credentials);
    });

    it("boto3: Session().get_credentials() resolves iam-role credentials through the endpoint variable", () => {
      const out = runClient("python3", "boto3_session_creds.py", [emulator.ready.imds]);
      assert.equal(out.method, "iam-role");
      assert.match(String(out.access_key), /^ASIA/);
    });

    it("aws cli v1: `aws configure list` shows the access key coming from iam-role", () => {
      const out = runClient("python3", "awscli_configure_list.py", [emulator.ready.imds]);
      assert.equal(out.exit_code, 0, String(out.stderr));
      assert.equal(out.method, "iam-role");
    });

    it("cloud-init: DataSourceEc2.get_data() crawls the dated metadata, user-data and identity document", { skip: hasCloudInit ? false : "Debian package cloud-init is not installed (.ci/run installs it)" }, () => {
      const out = runClient(DEBIAN_PYTHON, "cloudinit_crawl.py", [emulator.ready.imds, "--datasource", "--cloud-name", "aws"]);
      assert.equal(out.error, null, JSON.stringify(out.error));
      assert.equal(out.get_data, true);
      assert.equal(out.instance_id, emulator.ready.defaultInstanceId);
      assert.equal(out.region, "us-east-1");
      assert.equal(out.api_version, "2021-03-23");
      assert.equal(out.userdata, "#cloud-config\nruncmd:\n  - echo hello\n");
      const metadata = out.metadata as Record<string, unknown>;
      assert.equal((metadata.placement as Record<string, string>)["availability-zone"], "us-east-1a");
      assert.deepEqual((metadata.tags as Record<string, Record<string, string>>).instance, { Name: "imds-lab-default" });
      assert.ok((out.public_ssh_keys as string[])[0]?.startsWith("ssh-ed25519 "));
    });

    it(`cloud-init: on a platform it does not recognise it uses IMDSv1 only, and ${mode === "required" ? "fails" : "works"}`, { skip: hasCloudInit ? false : "cloud-init not installed" }, () => {
      const out = runClient(DEBIAN_PYTHON, "cloudinit_crawl.py", [emulator.ready.imds, "--datasource", "--cloud-name", "unknown", "--max-wait", "2"]);
      assert.equal(out.get_data, mode === "optional");
    });
  });
}
