// The node:test example of docs/testing.md, run by `npm test` like every test. In your project,
// import from "imds-lab"; this checkout imports its own sources instead.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { startImdsLab, type ImdsLab } from "../../src/index.ts";

describe("example (node:test): code that reads the instance id through IMDSv2", () => {
  let lab: ImdsLab;
  before(async () => {
    // Free ports and state in memory by default, so test files may run in parallel.
    lab = await startImdsLab({ httpTokens: "required" });
  });
  after(() => lab.stop());

  it("example: the AWS SDK's metadata client reads the instance id with a token", async () => {
    const imds = new MetadataService({ endpoint: lab.imds });
    assert.equal(await imds.request("/latest/meta-data/instance-id", {}), lab.defaultInstanceId);
  });

  it("example: a client that skips the token is refused, as on an instance with HttpTokens=required", async () => {
    const response = await fetch(`${lab.imds}/latest/meta-data/instance-id`);
    assert.equal(response.status, 401);
  });
});
