import assert from "node:assert/strict";
import { test } from "node:test";
import { rawRequest } from "../../../test/support/http.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import {
  launch,
  PLAIN_IMAGE,
  putImage,
  stateSnapshot,
  V2_IMAGE,
  withHarness,
} from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { HTTP_TOKENS_ENFORCED_MESSAGE } from "../../domain/precedence/resolve.ts";
import { MAX_INSTANCES_PER_LAUNCH } from "../../app/launch-service.ts";

const RUN = "RunInstances";

function imds(harness: Ec2Harness, instanceId: string, path: string) {
  const url = harness.services.estate.endpointUrl(instanceId);
  assert.ok(url, `${instanceId} has no live endpoint`);
  return rawRequest(url, { path });
}

/** Runs `params`, expects `code`, pins the envelope and checks nothing was written. */
async function refused(harness: Ec2Harness, params: Record<string, string>, code: string, goldenName: string, status = 400): Promise<string> {
  const before = stateSnapshot(harness);
  const result = await harness.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", ...params });
  const message = expectError(result, code, { status });
  golden(RUN, goldenName, result);
  assert.equal(stateSnapshot(harness), before, "a refused launch must not write");
  return message;
}

test("RunInstances: launches one pending instance with pending metadata options (golden)", () =>
  withHarness(async (h) => {
    const result = await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", InstanceType: "t3.micro", KeyName: "ops" });
    expectOk(result);
    golden(RUN, "success", result);
    const [instance] = itemsOf(result, RUN, "instancesSet");
    assert.equal(instance.instanceState.name, "pending");
    assert.equal(instance.instanceState.code, "0");
    assert.equal(instance.metadataOptions.state, "pending");
    assert.equal(instance.metadataOptions.httpTokens, "optional");
    assert.equal(instance.keyName, "ops");
    assert.equal(h.store.instances.get(instance.instanceId)?.record.state, "running");
  }));

test("RunInstances: MaxCount instances share one reservation, launch index 0..n-1, each on its own IMDS", () =>
  withHarness(async (h) => {
    const result = await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "2", MaxCount: "3" });
    expectOk(result);
    const instances = itemsOf(result, RUN, "instancesSet");
    assert.deepEqual(instances.map((i) => i.amiLaunchIndex), ["0", "1", "2"]);
    const reservation = result.xml.RunInstancesResponse.reservationId;
    for (const i of instances) {
      assert.equal(h.store.instances.get(i.instanceId)?.record.reservationId, reservation);
      const answer = await imds(h, i.instanceId, "/latest/meta-data/instance-id");
      assert.equal(answer.status, 200);
      assert.equal(answer.text(), i.instanceId);
    }
    assert.equal(new Set(instances.map((i) => h.services.estate.endpointUrl(i.instanceId))).size, 3);
  }));

test("RunInstances: MaxCount above the per-call cap is clipped; MinCount above it is InstanceLimitExceeded", () =>
  withHarness(async (h) => {
    const over = String(MAX_INSTANCES_PER_LAUNCH + 1);
    const message = await refused(h, { MinCount: over, MaxCount: over }, "InstanceLimitExceeded", "error-instance-limit-exceeded");
    assert.match(message, /You have requested more instances \(101\)/);
    const ids = await launch(h, { MinCount: "1", MaxCount: over });
    assert.equal(ids.length, MAX_INSTANCES_PER_LAUNCH);
  }));

test("RunInstances: counts are required, at least 1 and MinCount <= MaxCount", () =>
  withHarness(async (h) => {
    const before = stateSnapshot(h);
    const missing = await h.call(RUN, { ImageId: PLAIN_IMAGE, MaxCount: "1" });
    assert.equal(expectError(missing, "MissingParameter"), "The request must contain the parameter MinCount");
    golden(RUN, "error-missing-min-count", missing);
    await refused(h, { MinCount: "3", MaxCount: "2" }, "InvalidParameterValue", "error-min-above-max");
    await refused(h, { MinCount: "0", MaxCount: "2" }, "InvalidParameterValue", "error-min-count-zero");
    await refused(h, { MinCount: "one" }, "InvalidParameterValue", "error-min-count-not-integer");
    assert.equal(stateSnapshot(h), before);
  }));

test("RunInstances: an AMI with ImdsSupport=v2.0 gives required and hop limit 2, each option naming its source", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, { ImageId: V2_IMAGE, "MetadataOptions.HttpEndpoint": "enabled" });
    const doc = h.store.instances.get(id!)!;
    assert.equal(doc.record.metadataOptions.httpTokens, "required");
    assert.equal(doc.record.metadataOptions.httpPutResponseHopLimit, 2);
    assert.equal(doc.optionSources?.httpTokens?.level, "ami");
    assert.equal(doc.optionSources?.httpEndpoint?.level, "launch-parameters");
    assert.equal(doc.optionSources?.instanceMetadataTags?.level, "ec2-default");
    assert.equal(doc.optionsPendingUntilMs, h.clock.nowMs() + h.optionsApplyDelayMs);
    const answer = await imds(h, id!, "/latest/meta-data/instance-id");
    assert.equal(answer.status, 401, "IMDSv1 is refused on an instance launched with required");
  }));

test("RunInstances: the caller region's account defaults beat the AMI and lose to launch parameters", () =>
  withHarness(async (h) => {
    h.store.setAccountDefaults("123456789012", "us-east-1", { managedBy: "account", httpTokens: "optional", httpPutResponseHopLimit: 3 });
    h.store.setAccountDefaults("123456789012", "us-west-2", { managedBy: "account", httpPutResponseHopLimit: 9 });
    const [fromAccount] = await launch(h, { ImageId: V2_IMAGE });
    const account = h.store.instances.get(fromAccount!)!;
    assert.equal(account.record.metadataOptions.httpTokens, "optional");
    assert.equal(account.record.metadataOptions.httpPutResponseHopLimit, 3);
    assert.deepEqual(account.optionSources?.httpTokens, { level: "account-defaults", region: "us-east-1" });
    const [fromLaunch] = await launch(h, { ImageId: V2_IMAGE, "MetadataOptions.HttpPutResponseHopLimit": "5" });
    assert.equal(h.store.instances.get(fromLaunch!)!.record.metadataOptions.httpPutResponseHopLimit, 5);
    const [west] = await launch(h, {}, { region: "us-west-2" });
    assert.equal(h.store.instances.get(west!)!.record.metadataOptions.httpPutResponseHopLimit, 9);
  }));

test("RunInstances: under IMDSv2 enforcement a launch resolving to optional is UnsupportedOperation", () =>
  withHarness(async (h) => {
    h.store.setAccountDefaults("123456789012", "us-east-1", { managedBy: "account", httpTokensEnforced: "enabled" });
    const message = await refused(h, {}, "UnsupportedOperation", "error-http-tokens-enforced");
    assert.equal(message, HTTP_TOKENS_ENFORCED_MESSAGE);
    await refused(h, { ImageId: V2_IMAGE, "MetadataOptions.HttpTokens": "optional" }, "UnsupportedOperation", "error-http-tokens-enforced-explicit");
    await launch(h, { ImageId: V2_IMAGE });
    await launch(h, { "MetadataOptions.HttpTokens": "required" });
  }));

test("RunInstances: image ids are checked for form, existence, owner and region", () =>
  withHarness(async (h) => {
    const malformed = await refused(h, { ImageId: "ami-xyz" }, "InvalidAMIID.Malformed", "error-image-malformed");
    assert.equal(malformed, 'Invalid id: "ami-xyz" (expecting "ami-...")');
    const missing = await refused(h, { ImageId: "ami-0123456789abcdef0" }, "InvalidAMIID.NotFound", "error-image-not-found");
    assert.equal(missing, "The image id '[ami-0123456789abcdef0]' does not exist");
    const before = stateSnapshot(h);
    const none = await h.call(RUN, { MinCount: "1", MaxCount: "1" });
    assert.equal(expectError(none, "MissingParameter"), "The request must contain the parameter ImageId");
    golden(RUN, "error-missing-image-id", none);
    assert.equal(stateSnapshot(h), before);
    putImage(h, { imageId: "ami-00000000000000001", imdsSupport: "v2.0" });
    putImage(h, { imageId: "ami-00000000000000002", region: "eu-west-1" });
    putImage(h, { imageId: "ami-00000000000000003", ownerId: "210987654321" });
    putImage(h, { imageId: "ami-00000000000000004", state: "deregistered" });
    const [own] = await launch(h, { ImageId: "ami-00000000000000001" });
    assert.equal(h.store.instances.get(own!)!.record.metadataOptions.httpTokens, "required");
    for (const other of ["ami-00000000000000002", "ami-00000000000000003", "ami-00000000000000004"]) {
      expectError(await h.call(RUN, { ImageId: other, MinCount: "1", MaxCount: "1" }), "InvalidAMIID.NotFound");
    }
    putImage(h, { imageId: "ami-00000000000000005", ownerId: "210987654321", isPublic: true });
    await launch(h, { ImageId: "ami-00000000000000005" });
    putImage(h, { imageId: "ami-00000000000000006", ownerId: "210987654321", launchPermissionUserIds: ["123456789012"] });
    await launch(h, { ImageId: "ami-00000000000000006" });
  }));

test("RunInstances: invalid metadata option values are InvalidParameterValue", () =>
  withHarness(async (h) => {
    const message = await refused(h, { "MetadataOptions.HttpTokens": "sometimes" }, "InvalidParameterValue", "error-invalid-http-tokens");
    assert.equal(message, "A value of 'sometimes' is not valid for HttpTokens. Specify either 'optional' or 'required' and try again.");
    await refused(h, { "MetadataOptions.HttpPutResponseHopLimit": "65" }, "InvalidParameterValue", "error-invalid-hop-limit");
  }));

test("RunInstances: with tags in metadata enabled, tag keys IMDS cannot carry are refused", () =>
  withHarness(async (h) => {
    const spec = { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "cost center", "TagSpecification.1.Tag.1.Value": "x" };
    const message = await refused(h, { ...spec, "MetadataOptions.InstanceMetadataTags": "enabled" }, "InvalidParameterValue", "error-tag-key-not-allowed-in-metadata");
    assert.match(message, /The tag key 'cost center' is not valid for instance metadata/);
    h.store.setAccountDefaults("123456789012", "us-east-1", { managedBy: "account", instanceMetadataTags: "enabled" });
    await refused(h, spec, "InvalidParameterValue", "error-tag-key-not-allowed-by-account-default");
    await launch(h, { ...spec, "MetadataOptions.InstanceMetadataTags": "disabled" });
  }));

test("RunInstances: user tags starting with aws: are reserved", () =>
  withHarness(async (h) => {
    const spec = { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "AWS:owner", "TagSpecification.1.Tag.1.Value": "me" };
    const message = await refused(h, spec, "InvalidParameterValue", "error-reserved-tag-key");
    assert.equal(message, "Tag keys starting with 'aws:' are reserved for internal use");
  }));

test("RunInstances: TagSpecification needs a launch resource type, once each, with tags; other types are dropped", () =>
  withHarness(async (h) => {
    await refused(h, { "TagSpecification.1.ResourceType": "image", "TagSpecification.1.Tag.1.Key": "a" }, "InvalidParameterValue", "error-tag-resource-type");
    await refused(h, { "TagSpecification.1.Tag.1.Key": "a" }, "InvalidParameterValue", "error-tag-resource-type-missing");
    const twice = {
      "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": "a",
      "TagSpecification.2.ResourceType": "instance", "TagSpecification.2.Tag.1.Key": "b",
    };
    await refused(h, twice, "InvalidParameterValue", "error-tag-resource-type-repeated");
    const [id] = await launch(h, {
      "TagSpecification.1.ResourceType": "volume", "TagSpecification.1.Tag.1.Key": "disk",
      "TagSpecification.2.ResourceType": "instance", "TagSpecification.2.Tag.1.Key": "Name",
    });
    assert.deepEqual(h.store.instances.get(id!)!.record.tags, [{ key: "Name", value: "" }]);
  }));

test("RunInstances: UserData must be valid base64 of at most 16 KB and is served as user-data", () =>
  withHarness(async (h) => {
    const invalid = await refused(h, { UserData: "not base64!" }, "InvalidParameterValue", "error-user-data-not-base64");
    assert.equal(invalid, "Invalid BASE64 encoding of user data.");
    const tooBig = Buffer.alloc(16385, 0x61).toString("base64");
    const big = await refused(h, { UserData: tooBig }, "InvalidParameterValue", "error-user-data-too-large");
    assert.equal(big, "User data is limited to 16384 bytes");
    await launch(h, { UserData: Buffer.alloc(16384, 0x61).toString("base64") });
    const [id] = await launch(h, { UserData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64") });
    const answer = await imds(h, id!, "/latest/user-data");
    assert.equal(answer.text(), "#!/bin/sh\necho hi\n");
  }));

test("RunInstances: IamInstanceProfile names the role; an ARN keeps its path; bad ones are refused", () =>
  withHarness(async (h) => {
    const byName = await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", "IamInstanceProfile.Name": "web-role" });
    const [named] = itemsOf(byName, RUN, "instancesSet");
    assert.equal(named.iamInstanceProfile.arn, "arn:aws:iam::123456789012:instance-profile/web-role");
    const roles = await imds(h, named.instanceId, "/latest/meta-data/iam/security-credentials/");
    assert.equal(roles.text(), "web-role");
    const arn = "arn:aws:iam::123456789012:instance-profile/team/app-role";
    const [byArn] = await launch(h, { "IamInstanceProfile.Arn": arn });
    assert.equal(h.store.instances.get(byArn!)!.record.iamRole?.instanceProfileArn, arn);
    assert.equal(h.store.instances.get(byArn!)!.record.iamRole?.roleName, "app-role");
    await refused(h, { "IamInstanceProfile.Name": "bad name" }, "InvalidParameterValue", "error-instance-profile-name");
    await refused(h, { "IamInstanceProfile.Arn": "arn:aws:iam::1:role/x" }, "InvalidParameterValue", "error-instance-profile-arn");
  }));

test("RunInstances: InstanceType defaults to m1.small; bad types and zones are refused", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, { "Placement.AvailabilityZone": "us-east-1c" });
    const record = h.store.instances.get(id!)!.record;
    assert.equal(record.instanceType, "m1.small");
    assert.equal(record.availabilityZone, "us-east-1c");
    await refused(h, { InstanceType: "huge" }, "InvalidParameterValue", "error-instance-type");
    const zone = await refused(h, { "Placement.AvailabilityZone": "eu-west-1a" }, "InvalidParameterValue", "error-availability-zone");
    assert.equal(zone, "Invalid availability zone: [eu-west-1a]");
  }));

test("RunInstances: DryRun answers DryRunOperation after every check and launches nothing", () =>
  withHarness(async (h) => {
    const message = await refused(h, { DryRun: "true", "MetadataOptions.HttpTokens": "required" }, "DryRunOperation", "error-dry-run", 412);
    assert.equal(message, "Request would have succeeded, but DryRun flag is set.");
    expectError(await h.call(RUN, { DryRun: "true", ImageId: "ami-0123456789abcdef0", MinCount: "1", MaxCount: "1" }), "InvalidAMIID.NotFound");
  }));

test("RunInstances: InstanceMarketOptions.MarketType=spot launches a Spot Instance (instanceLifecycle, instance-life-cycle); other values refused", () =>
  withHarness(async (h) => {
    const run = await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", "InstanceMarketOptions.MarketType": "spot" });
    const [spot] = itemsOf(run, RUN, "instancesSet");
    assert.equal(spot.instanceLifecycle, "spot");
    assert.equal((await imds(h, spot.instanceId, "/latest/meta-data/instance-life-cycle")).text(), "spot");
    const [onDemand] = itemsOf(await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1" }), RUN, "instancesSet");
    assert.equal(onDemand.instanceLifecycle, undefined);
    expectError(await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", "InstanceMarketOptions.MarketType": "cheap" }), "InvalidParameterValue");
    expectError(await h.call(RUN, { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", "InstanceMarketOptions.MarketType": "capacity-block" }), "UnsupportedOperation");
  }));
