import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fromInstanceMetadata } from "@smithy/credential-provider-imds";
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";

// Real AWS JS clients against `imds-lab serve`, in both IMDS modes.
for (const mode of ["optional", "required"] as const) {
  describe(`imds js clients (HttpTokens=${mode})`, () => {
    let emulator: EmulatorProcess;
    before(async () => {
      emulator = await startEmulatorProcess(["--http-tokens", mode]);
    });
    after(async () => {
      await emulator.stop();
    });

    it("@smithy/credential-provider-imds: fromInstanceMetadata returns the role's credentials", async () => {
      const provider = fromInstanceMetadata({ timeout: 2000, maxRetries: 0 });
      const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = emulator.ready.imds;
      try {
        const credentials = await provider();
        assert.match(credentials.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
        assert.ok(credentials.secretAccessKey.length >= 40);
        assert.ok(credentials.sessionToken && credentials.sessionToken.length > 100);
        const minutesLeft = (credentials.expiration!.getTime() - Date.now()) / 60_000;
        assert.ok(minutesLeft > 30, `credentials expire in ${minutesLeft} min; SDKs need more than 30`);
      } finally {
        if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
        else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
      }
    });

    it("@aws-sdk/ec2-metadata-service: request() reads instance-id, placement and the identity document", async () => {
      const service = new MetadataService({ endpoint: emulator.ready.imds, httpOptions: { timeout: 2000 } });
      const instanceId = await service.request("/latest/meta-data/instance-id", {});
      assert.equal(instanceId, emulator.ready.defaultInstanceId);
      assert.equal(await service.request("/latest/meta-data/placement/region", {}), "us-east-1");
      const document = JSON.parse(await service.request("/latest/dynamic/instance-identity/document", {})) as Record<string, unknown>;
      assert.equal(document.instanceId, instanceId);
      assert.equal(document.region, "us-east-1");
      const token = await service.fetchMetadataToken();
      assert.match(token, /^AQAEA[A-Za-z0-9_-]{49}==$/);
    });

    it(`token-less GET answers ${mode === "required" ? "401 with an empty body" : "200"}`, async () => {
      const response = await rawRequest(emulator.ready.imds, { path: "/latest/meta-data/instance-id" });
      if (mode === "required") {
        assert.equal(response.status, 401);
        assert.equal(response.body.length, 0);
      } else {
        assert.equal(response.status, 200);
        assert.equal(response.text(), emulator.ready.defaultInstanceId);
      }
    });
  });
}

describe("imds js clients (HttpEndpoint=disabled)", () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess(["--http-endpoint", "disabled"]);
  });
  after(async () => {
    await emulator.stop();
  });

  it("@smithy/credential-provider-imds: the 403 on the token PUT makes it fall back, and the GET is refused too", async () => {
    const previous = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = emulator.ready.imds;
    try {
      await assert.rejects(fromInstanceMetadata({ timeout: 2000, maxRetries: 0 })(), (err: Error & { statusCode?: number }) => {
        assert.equal(err.statusCode, 403);
        return true;
      });
    } finally {
      if (previous === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT;
      else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = previous;
    }
  });
});
