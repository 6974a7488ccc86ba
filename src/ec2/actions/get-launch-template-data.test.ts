import assert from "node:assert/strict";
import { test } from "node:test";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import { launch, withHarness } from "../../../test/support/instances.ts";

const ACTION = "GetLaunchTemplateData";
const dataOf = (result: { xml: any }) => result.xml.GetLaunchTemplateDataResponse.launchTemplateData;

test("GetLaunchTemplateData: an instance's launch parameters with its full MetadataOptions (golden)", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, {
      KeyName: "ops",
      UserData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64"),
      "IamInstanceProfile.Name": "app",
      "MetadataOptions.HttpTokens": "required",
      "MetadataOptions.HttpPutResponseHopLimit": "3",
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": "web",
    });
    const result = await h.call(ACTION, { InstanceId: id! });
    golden(ACTION, "success", result);
    const data = dataOf(result);
    assert.equal(data.keyName, "ops");
    assert.equal(Buffer.from(data.userData, "base64").toString(), "#!/bin/sh\necho hi\n");
    assert.match(data.iamInstanceProfile.arn, /:instance-profile\/app$/);
    assert.deepEqual(data.metadataOptions, {
      httpTokens: "required",
      httpPutResponseHopLimit: "3",
      httpEndpoint: "enabled",
      httpProtocolIpv6: "disabled",
      instanceMetadataTags: "disabled",
    });
    assert.deepEqual(data.tagSpecificationSet.item, [{ resourceType: "instance", tagSet: { item: [{ key: "Name", value: "web" }] } }]);
    assert.equal(data.placement.availabilityZone, "us-east-1a");
  }));

test("GetLaunchTemplateData: follows ModifyInstanceMetadataOptions, and its answer launches a like instance through a template", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    expectOk(await h.call("ModifyInstanceMetadataOptions", { InstanceId: id!, HttpTokens: "required", InstanceMetadataTags: "enabled" }));
    const options = dataOf(await h.call(ACTION, { InstanceId: id! })).metadataOptions;
    assert.equal(options.httpTokens, "required");
    assert.equal(options.instanceMetadataTags, "enabled");
    const created = await h.call("CreateLaunchTemplate", {
      LaunchTemplateName: "copy",
      "LaunchTemplateData.ImageId": dataOf(await h.call(ACTION, { InstanceId: id! })).imageId,
      "LaunchTemplateData.MetadataOptions.HttpTokens": options.httpTokens,
      "LaunchTemplateData.MetadataOptions.InstanceMetadataTags": options.instanceMetadataTags,
    });
    expectOk(created);
    const [copy] = await launch(h, { "LaunchTemplate.LaunchTemplateName": "copy"});
    const copied = dataOf(await h.call(ACTION, { InstanceId: copy! })).metadataOptions;
    assert.deepEqual(copied, options);
  }));

test("GetLaunchTemplateData: EC2's errors for a missing, malformed or unknown instance id", () =>
  withHarness(async (h) => {
    expectError(await h.call(ACTION), "MissingParameter", "The request must contain the parameter InstanceId");
    expectError(await h.call(ACTION, { InstanceId: "i-xyz" }), "InvalidInstanceID.Malformed");
    expectError(await h.call(ACTION, { InstanceId: "i-00000000000000000" }), "InvalidInstanceID.NotFound");
  }));
