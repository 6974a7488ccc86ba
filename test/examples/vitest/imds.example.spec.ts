// The Vitest example of docs/testing.md, run through Vitest itself by vitest-example.test.ts. In
// your project, import from "imds-lab"; this checkout imports its own sources instead.
import { MetadataService } from "@aws-sdk/ec2-metadata-service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startImdsLab, type ImdsLab } from "../../../src/index.ts";

describe("example (vitest): code that reads the instance id through IMDSv2", () => {
  let lab: ImdsLab;
  beforeAll(async () => {
    lab = await startImdsLab({ httpTokens: "required" });
  });
  afterAll(() => lab.stop());

  it("reads the instance id with a token through the AWS SDK's metadata client", async () => {
    const imds = new MetadataService({ endpoint: lab.imds });
    expect(await imds.request("/latest/meta-data/instance-id", {})).toBe(lab.defaultInstanceId);
  });

  it("is refused without a token, as on an instance with HttpTokens=required", async () => {
    expect((await fetch(`${lab.imds}/latest/meta-data/instance-id`)).status).toBe(401);
  });
});
