import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN, startEmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";

async function getText(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await rawRequest(base, { path, headers });
  return { status: response.status, text: response.text() };
}

describe("serve cli", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "imds-lab-serve-"));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("serve: prints one JSON ready line naming the imds and api endpoints", async () => {
    const emulator = await startEmulatorProcess([]);
    try {
      assert.equal(emulator.ready.ready, true);
      assert.match(emulator.ready.imds, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(emulator.ready.api, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(emulator.ready.defaultInstanceId, /^i-[0-9a-f]{17}$/);
      assert.match(emulator.stderr(), /AWS_EC2_METADATA_SERVICE_ENDPOINT=http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await emulator.stop();
    }
  });

  it("serve: flags beat environment variables, which beat the config file", async () => {
    const config = join(dir, "config.yaml");
    writeFileSync(config, "httpTokens: required\nhopLimit: 3\ninstanceMetadataTags: enabled\n");
    const emulator = await startEmulatorProcess(["--config", config, "--hop-limit", "5"], {
      env: { IMDS_LAB_INSTANCE_METADATA_TAGS: "disabled" },
    });
    try {
      const list = (await (await fetch(`${emulator.ready.api}/_imds-lab/instances`)).json()) as { metadataOptions: Record<string, unknown> }[];
      assert.deepEqual(list[0]!.metadataOptions, {
        httpTokens: "required",
        httpPutResponseHopLimit: 5,
        httpEndpoint: "enabled",
        httpProtocolIpv6: "disabled",
        instanceMetadataTags: "disabled",
      });
      assert.equal((await getText(emulator.ready.imds, "/latest/meta-data/instance-id")).status, 401);
    } finally {
      await emulator.stop();
    }
  });

  it("serve: a bad setting is refused with a clear message and exit code 2", () => {
    const result = spawnSync(process.execPath, [BIN, "serve", "--ephemeral", "--http-tokens", "maybe"], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /httpTokens/);
  });

  it("serve: --help explains each setting", () => {
    const help = execFileSync(process.execPath, [BIN, "serve", "--help"], { encoding: "utf8" });
    for (const flag of ["--imds-port", "--api-port", "--ephemeral", "--http-tokens", "--hop-limit", "--http-endpoint", "--instance-metadata-tags", "--config"]) {
      assert.ok(help.includes(flag), `--help mentions ${flag}`);
    }
  });

  it("serve: state survives a restart and a kill -9; the default instance keeps its id and options", async () => {
    const state = join(dir, "state.db");
    const first = await startEmulatorProcess(["--state", state, "--http-tokens", "required"]);
    const id = first.ready.defaultInstanceId;
    await first.stop("SIGKILL");
    const second = await startEmulatorProcess(["--state", state]);
    try {
      assert.equal(second.ready.defaultInstanceId, id);
      // Options given at the first start persist: a token-less GET is still refused.
      assert.equal((await getText(second.ready.imds, "/latest/meta-data/instance-id")).status, 401);
    } finally {
      await second.stop();
    }
  });

  it("certificate: the identity document's pkcs7 and rsa2048 verify with openssl smime against the printed certificates", async () => {
    const emulator = await startEmulatorProcess([]);
    try {
      const base = emulator.ready.imds;
      const document = (await getText(base, "/latest/dynamic/instance-identity/document")).text;
      const pkcs7 = (await getText(base, "/latest/dynamic/instance-identity/pkcs7")).text;
      const rsa2048 = (await getText(base, "/latest/dynamic/instance-identity/rsa2048")).text;
      const pem = execFileSync(process.execPath, [BIN, "certificate", "--endpoint-url", emulator.ready.api], { encoding: "utf8" });
      const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
      assert.equal(certs.length, 2, "a DSA and an RSA certificate");
      writeFileSync(join(dir, "document"), document);
      writeFileSync(join(dir, "dsa.pem"), certs[0]!);
      writeFileSync(join(dir, "rsa.pem"), certs[1]!);
      for (const [name, body, cert] of [["pkcs7", pkcs7, "dsa.pem"], ["rsa2048", rsa2048, "rsa.pem"]] as const) {
        writeFileSync(join(dir, `${name}.pem`), `-----BEGIN PKCS7-----\n${body}\n-----END PKCS7-----\n`);
        const verify = spawnSync(
          "openssl",
          ["smime", "-verify", "-in", join(dir, `${name}.pem`), "-inform", "PEM", "-certfile", join(dir, cert), "-noverify", "-out", join(dir, `${name}.out`)],
          { encoding: "utf8" },
        );
        assert.equal(verify.status, 0, `${name}: ${verify.stderr}`);
        assert.equal(execFileSync("cat", [join(dir, `${name}.out`)], { encoding: "utf8" }), document);
      }
    } finally {
      await emulator.stop();
    }
  });
});
