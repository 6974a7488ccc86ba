import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, golden } from "../../../test/support/ec2-answers.ts";
import { putTemplate, stateSnapshot, V2_IMAGE, withHarness } from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { TAG_LAUNCH_TEMPLATE_ID, TAG_LAUNCH_TEMPLATE_VERSION } from "../../app/launch-service.ts";

const RUN = "RunInstances";
const LT_ID = "lt-0123456789abcdef0";

function webTemplate(h: Ec2Harness) {
  return putTemplate(h, {
    id: LT_ID,
    name: "web",
    defaultVersion: 1,
    versions: [
      {
        imageId: V2_IMAGE,
        instanceType: "t3.small",
        keyName: "lt-key",
        userData: Buffer.from("from template").toString("base64"),
        iamInstanceProfile: { name: "lt-role" },
        metadataOptions: { httpPutResponseHopLimit: 3, instanceMetadataTags: "enabled" },
        tagSpecifications: [
          { resourceType: "instance", tags: [{ key: "Name", value: "lt" }, { key: "team", value: "core" }] },
          { resourceType: "volume", tags: [{ key: "disk", value: "root" }] },
        ],
      },
      { instanceType: "t3.large", imageId: V2_IMAGE },
      { instanceType: "t3.xlarge", imageId: V2_IMAGE },
    ],
  });
}

async function refused(h: Ec2Harness, template: Record<string, string>, code: string, goldenName: string): Promise<string> {
  const before = stateSnapshot(h);
  const result = await h.call(RUN, { MinCount: "1", MaxCount: "1", ...template });
  const message = expectError(result, code);
  golden(RUN, goldenName, result);
  assert.equal(stateSnapshot(h), before);
  return message;
}

test("RunInstances: a launch template supplies image, type, key, user data, profile, options and tags", () =>
  withHarness(async (h) => {
    webTemplate(h);
    const [fromTemplate] = await launchFromTemplate(h, { "LaunchTemplate.LaunchTemplateId": LT_ID });
    const doc = h.store.instances.get(fromTemplate!)!;
    assert.equal(doc.record.imageId, V2_IMAGE);
    assert.equal(doc.record.instanceType, "t3.small");
    assert.equal(doc.record.keyPair?.keyName, "lt-key");
    assert.equal(doc.record.iamRole?.roleName, "lt-role");
    assert.equal(Buffer.from(doc.record.userData!, "base64").toString(), "from template");
    assert.deepEqual(doc.record.metadataOptions, {
      httpTokens: "required",
      httpPutResponseHopLimit: 3,
      httpEndpoint: "enabled",
      httpProtocolIpv6: "disabled",
      instanceMetadataTags: "enabled",
    });
    assert.deepEqual(doc.optionSources.httpPutResponseHopLimit, { level: "launch-template", templateId: LT_ID, templateName: "web", version: 1 });
    assert.equal(doc.optionSources?.httpTokens?.level, "ami");
    assert.deepEqual(doc.record.tags, [
      { key: "Name", value: "lt" },
      { key: "team", value: "core" },
      { key: TAG_LAUNCH_TEMPLATE_ID, value: LT_ID },
      { key: TAG_LAUNCH_TEMPLATE_VERSION, value: "1" },
    ]);
  }));

async function launchFromTemplate(h: Ec2Harness, params: Record<string, string>): Promise<string[]> {
  const result = await h.call(RUN, { MinCount: "1", MaxCount: "1", ...params });
  assert.equal(result.status, 200, result.body);
  return result.xml.RunInstancesResponse.instancesSet.item.map((i: any) => String(i.instanceId));
}

test("RunInstances: request parameters win over the template per field and per tag key", () =>
  withHarness(async (h) => {
    webTemplate(h);
    const [id] = await launchFromTemplate(h, {
      "LaunchTemplate.LaunchTemplateName": "web",
      InstanceType: "c5.large",
      "MetadataOptions.HttpPutResponseHopLimit": "7",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": "mine",
      "TagSpecification.1.Tag.2.Key": "extra",
      "TagSpecification.1.Tag.2.Value": "1",
    });
    const doc = h.store.instances.get(id!)!;
    assert.equal(doc.record.instanceType, "c5.large");
    assert.equal(doc.record.metadataOptions.httpPutResponseHopLimit, 7);
    assert.equal(doc.record.metadataOptions.instanceMetadataTags, "enabled", "fields the request leaves out come from the template");
    assert.deepEqual(
      doc.record.tags.map((t) => `${t.key}=${t.value}`),
      ["Name=mine", "team=core", "extra=1", `${TAG_LAUNCH_TEMPLATE_ID}=${LT_ID}`, `${TAG_LAUNCH_TEMPLATE_VERSION}=1`],
    );
  }));

test("RunInstances: LaunchTemplate.Version picks a number, $Latest or $Default (the default when absent)", () =>
  withHarness(async (h) => {
    webTemplate(h);
    const typeFor = async (version: string | undefined) => {
      const [id] = await launchFromTemplate(h, {
        "LaunchTemplate.LaunchTemplateId": LT_ID,
        ...(version === undefined ? {} : { "LaunchTemplate.Version": version }),
      });
      return h.store.instances.get(id!)!.record.instanceType;
    };
    assert.equal(await typeFor(undefined), "t3.small");
    assert.equal(await typeFor("$Default"), "t3.small");
    assert.equal(await typeFor("$Latest"), "t3.xlarge");
    assert.equal(await typeFor("2"), "t3.large");
  }));

test("RunInstances: unknown or malformed templates and versions are refused", () =>
  withHarness(async (h) => {
    webTemplate(h);
    putTemplate(h, { id: "lt-0000000000000000f", name: "elsewhere", region: "eu-west-1", versions: [{ imageId: V2_IMAGE }] });
    const malformed = await refused(h, { "LaunchTemplate.LaunchTemplateId": "lt-nope" }, "InvalidLaunchTemplateId.Malformed", "error-template-id-malformed");
    assert.equal(malformed, 'Invalid id: "lt-nope" (expecting "lt-...")');
    const missing = await refused(h, { "LaunchTemplate.LaunchTemplateId": "lt-0000000000000000f" }, "InvalidLaunchTemplateId.NotFound", "error-template-id-not-found");
    assert.equal(missing, "The specified launch template, with template ID lt-0000000000000000f, does not exist.");
    await refused(h, { "LaunchTemplate.LaunchTemplateName": "nope" }, "InvalidLaunchTemplateName.NotFoundException", "error-template-name-not-found");
    const version = await refused(
      h,
      { "LaunchTemplate.LaunchTemplateId": LT_ID, "LaunchTemplate.Version": "9" },
      "InvalidLaunchTemplateId.VersionNotFound",
      "error-template-version-not-found",
    );
    assert.equal(version, `Could not find the specified version 9 for the launch template with ID ${LT_ID}.`);
    await refused(
      h,
      { "LaunchTemplate.LaunchTemplateId": LT_ID, "LaunchTemplate.LaunchTemplateName": "web" },
      "InvalidParameterCombination",
      "error-template-id-and-name",
    );
    await refused(h, { "LaunchTemplate.Version": "1" }, "MissingParameter", "error-template-unnamed");
  }));

test("RunInstances: a template's tags are checked against IMDS key rules when tags resolve to enabled", () =>
  withHarness(async (h) => {
    putTemplate(h, {
      id: LT_ID,
      name: "spaces",
      versions: [{ imageId: V2_IMAGE, tagSpecifications: [{ resourceType: "instance", tags: [{ key: "has space", value: "" }] }] }],
    });
    const params = { "LaunchTemplate.LaunchTemplateId": LT_ID };
    await launchFromTemplate(h, params);
    await refused(h, { ...params, "MetadataOptions.InstanceMetadataTags": "enabled" }, "InvalidParameterValue", "error-template-tag-key-not-allowed");
  }));
