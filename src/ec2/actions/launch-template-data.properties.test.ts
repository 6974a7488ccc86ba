/**
 * Property: whatever `LaunchTemplateData.*` map a client sends, CreateLaunchTemplate and
 * CreateLaunchTemplateVersion answer either success or an EC2 error envelope with one of EC2's
 * client codes (never InternalError), a failed call leaves the store byte-for-byte unchanged, and
 * a successful one stores exactly the metadata options that were sent.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { errorOf } from "../../../test/support/ec2-answers.ts";
import { createTemplate, templateState } from "../../../test/support/launch-templates.ts";

const CLIENT_CODES = new Set([
  "InvalidParameterValue",
  "UnknownParameter",
  "MissingParameter",
  "InvalidLaunchTemplateId.VersionNotFound",
]);

const METADATA_FIELDS: Record<string, string> = {
  HttpTokens: "httpTokens",
  HttpPutResponseHopLimit: "httpPutResponseHopLimit",
  HttpEndpoint: "httpEndpoint",
  HttpProtocolIpv6: "httpProtocolIpv6",
  InstanceMetadataTags: "instanceMetadataTags",
};

const arbMember = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom(
    "ImageId", "InstanceType", "KeyName", "UserData", "IamInstanceProfile.Name", "IamInstanceProfile.Arn",
    ...Object.keys(METADATA_FIELDS).map((f) => `MetadataOptions.${f}`),
    "TagSpecification.1.ResourceType", "TagSpecification.1.Tag.1.Key", "TagSpecification.1.Tag.1.Value", "TagSpecification.2.Tag.1.Key",
    "EbsOptimized", "NetworkInterface.1.DeviceIndex",
  ) },
  { weight: 1, arbitrary: fc.constantFrom("Bogus", "MetadataOptions", "MetadataOptions.Extra", "TagSpecification.0.ResourceType", "TagSpecification.1.Tag.x.Key", "__proto__", "constructor", "", ".") },
  { weight: 1, arbitrary: fc.string({ maxLength: 24 }) },
);
const arbValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("required", "optional", "enabled", "disabled", "", "0", "1", "2", "64", "65", "-1", "+3", "instance", "volume", "launch-template", "aws:x") },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 8 }) },
);
const arbData = fc.dictionary(arbMember, arbValue, { minKeys: 1, maxKeys: 6 }).map((members) =>
  Object.fromEntries(Object.entries(members).map(([member, value]) => [`LaunchTemplateData.${member}`, value])),
);

function assertEc2Answer(result: { status: number; body: string; xml: any }): boolean {
  if (result.status === 200) return true;
  const error = errorOf(result);
  assert.equal(error.status, 400, result.body);
  assert.ok(CLIENT_CODES.has(error.code), `unexpected code ${error.code}: ${error.message}`);
  return false;
}

/** What a successful call must have stored for the metadata options it was sent. */
function expectedOptions(request: Record<string, string>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [field, member] of Object.entries(METADATA_FIELDS)) {
    const value = request[`LaunchTemplateData.MetadataOptions.${field}`];
    if (value !== undefined) out[member] = field === "HttpPutResponseHopLimit" ? Number(value) : value;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

describe("launch template data properties", () => {
  let h: Ec2Harness;
  let templateId: string;
  let n = 0;
  before(async () => {
    h = await createEc2Harness();
    templateId = await createTemplate(h, "base", { "LaunchTemplateData.MetadataOptions.HttpTokens": "required" });
  });
  after(async () => {
    await h.close();
  });

  it("launch template data: CreateLaunchTemplate answers success or an EC2 error, and a failure changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(arbData, async (data) => {
        const name = `prop-${++n}`;
        const before = templateState(h);
        const result = await h.call("CreateLaunchTemplate", { LaunchTemplateName: name, ...data });
        if (!assertEc2Answer(result)) {
          assert.equal(templateState(h), before);
          return;
        }
        const stored = h.store.launchTemplates.list().find((r) => r.templateName === name);
        assert.deepEqual(stored?.versions[0]?.data.metadataOptions, expectedOptions(data));
      }),
      { numRuns: 150 },
    );
  });

  it("launch template data: CreateLaunchTemplateVersion with any SourceVersion answers success or an EC2 error, and a failure changes nothing", async () => {
    const arbSource = fc.option(fc.oneof(fc.constantFrom("$Latest", "$Default", "1", "2", "0", "999", "$latest"), fc.string({ maxLength: 6 })), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(arbData, arbSource, async (data, source) => {
        const before = templateState(h);
        const params: Record<string, string> = { LaunchTemplateId: templateId, ...data };
        if (source !== undefined) params.SourceVersion = source;
        const result = await h.call("CreateLaunchTemplateVersion", params);
        if (!assertEc2Answer(result)) assert.equal(templateState(h), before);
      }),
      { numRuns: 150 },
    );
  });
});
