import assert from "node:assert/strict";
import { test } from "node:test";
import { rawRequest } from "../../../test/support/http.ts";
import { expectError, expectOk, golden } from "../../../test/support/ec2-answers.ts";
import { describedInstances, launch, stateSnapshot, withHarness } from "../../../test/support/instances.ts";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { HTTP_TOKENS_ENFORCED_MESSAGE } from "../../domain/precedence/resolve.ts";

const MODIFY = "ModifyInstanceMetadataOptions";

async function tokenlessGet(h: Ec2Harness, id: string, path = "/latest/meta-data/instance-id") {
  return rawRequest(h.services.estate.endpointUrl(id)!, { path });
}

async function refused(h: Ec2Harness, params: Record<string, string>, code: string, goldenName: string, status = 400): Promise<string> {
  const before = stateSnapshot(h);
  const result = await h.call(MODIFY, params);
  const message = expectError(result, code, { status });
  golden(MODIFY, goldenName, result);
  assert.equal(stateSnapshot(h), before, "a refused modification must not write");
  return message;
}

test("ModifyInstanceMetadataOptions: answers the full resulting options, pending, keeping fields not sent (golden)", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, { "MetadataOptions.HttpPutResponseHopLimit": "3", "MetadataOptions.HttpProtocolIpv6": "enabled" });
    h.clock.advance(h.optionsApplyDelayMs);
    const result = await h.call(MODIFY, { InstanceId: id!, HttpTokens: "required" });
    expectOk(result);
    golden(MODIFY, "success", result);
    const answer = result.xml.ModifyInstanceMetadataOptionsResponse;
    assert.equal(answer.instanceId, id);
    assert.deepEqual(answer.instanceMetadataOptions, {
      state: "pending",
      httpTokens: "required",
      httpPutResponseHopLimit: "3",
      httpEndpoint: "enabled",
      httpProtocolIpv6: "enabled",
      instanceMetadataTags: "disabled",
    });
    const describe = async () => describedInstances(await h.call("DescribeInstances", { "InstanceId.1": id! }))[0].metadataOptions;
    assert.equal((await describe()).state, "pending");
    assert.equal((await describe()).httpTokens, "required");
    h.clock.advance(h.optionsApplyDelayMs);
    assert.equal((await describe()).state, "applied");
    const doc = h.store.instances.get(id!)!;
    assert.deepEqual(doc.optionSources.httpTokens, { level: "modified-after-launch", via: "ec2-api", atMs: h.clock.nowMs() - h.optionsApplyDelayMs });
    assert.equal(doc.optionSources?.httpPutResponseHopLimit?.level, "launch-parameters");
  }));

test("ModifyInstanceMetadataOptions: the live IMDS applies the change at once", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    assert.equal((await tokenlessGet(h, id!)).status, 200);
    expectOk(await h.call(MODIFY, { InstanceId: id!, HttpTokens: "required" }));
    assert.equal((await tokenlessGet(h, id!)).status, 401);
    expectOk(await h.call(MODIFY, { InstanceId: id!, HttpEndpoint: "disabled" }));
    assert.equal((await tokenlessGet(h, id!)).status, 403);
    expectOk(await h.call(MODIFY, { InstanceId: id!, HttpEndpoint: "enabled", HttpTokens: "optional" }));
    assert.equal((await tokenlessGet(h, id!)).text(), id);
  }));

test("ModifyInstanceMetadataOptions: under enforcement only an explicit HttpTokens=optional is refused", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    h.store.setAccountDefaults("123456789012", "us-east-1", { managedBy: "account", httpTokensEnforced: "enabled" });
    const message = await refused(h, { InstanceId: id!, HttpTokens: "optional" }, "UnsupportedOperation", "error-http-tokens-enforced");
    assert.equal(message, HTTP_TOKENS_ENFORCED_MESSAGE);
    expectOk(await h.call(MODIFY, { InstanceId: id!, HttpPutResponseHopLimit: "2" }));
    assert.equal(h.store.instances.get(id!)!.record.metadataOptions.httpTokens, "optional", "existing instances are not changed");
    expectOk(await h.call(MODIFY, { InstanceId: id!, HttpTokens: "required" }));
  }));

test("ModifyInstanceMetadataOptions: enabling tags in metadata needs every tag key to be IMDS-safe", () =>
  withHarness(async (h) => {
    const [id] = await launch(h, {
      "TagSpecification.1.ResourceType": "instance",
      "TagSpecification.1.Tag.1.Key": "Name",
      "TagSpecification.1.Tag.1.Value": "web",
      "TagSpecification.1.Tag.2.Key": "owner/team",
      "TagSpecification.1.Tag.2.Value": "x",
    });
    const message = await refused(h, { InstanceId: id!, InstanceMetadataTags: "enabled" }, "InvalidParameterValue", "error-tag-key-not-allowed-in-metadata");
    assert.match(message, /'owner\/team'/);
    expectOk(await h.call("DeleteTags", { "ResourceId.1": id!, "Tag.1.Key": "owner/team" }));
    expectOk(await h.call(MODIFY, { InstanceId: id!, InstanceMetadataTags: "enabled" }));
    assert.equal((await tokenlessGet(h, id!, "/latest/meta-data/tags/instance/Name")).text(), "web");
  }));

test("ModifyInstanceMetadataOptions: works on a stopped instance and refuses a terminated one", () =>
  withHarness(async (h) => {
    const [stopped, terminated] = await launch(h, { MinCount: "2", MaxCount: "2" });
    expectOk(await h.call("StopInstances", { "InstanceId.1": stopped! }));
    const result = await h.call(MODIFY, { InstanceId: stopped!, HttpTokens: "required" });
    expectOk(result);
    assert.equal(result.xml.ModifyInstanceMetadataOptionsResponse.instanceMetadataOptions.state, "pending");
    expectOk(await h.call("StartInstances", { "InstanceId.1": stopped! }));
    assert.equal((await tokenlessGet(h, stopped!)).status, 401, "the change holds after start");
    expectOk(await h.call("TerminateInstances", { "InstanceId.1": terminated! }));
    const message = await refused(h, { InstanceId: terminated!, HttpTokens: "required" }, "IncorrectInstanceState", "error-terminated");
    assert.equal(message, `The instance '${terminated}' is not in a state from which it can be modified.`);
  }));

test("ModifyInstanceMetadataOptions: instance id and option errors", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    await refused(h, { HttpTokens: "required" }, "MissingParameter", "error-missing-instance-id");
    await refused(h, { InstanceId: "i-xyz", HttpTokens: "required" }, "InvalidInstanceID.Malformed", "error-instance-malformed");
    await refused(h, { InstanceId: "i-0123456789abcdef0", HttpTokens: "required" }, "InvalidInstanceID.NotFound", "error-instance-not-found");
    const none = await refused(h, { InstanceId: id! }, "InvalidParameterCombination", "error-no-options");
    assert.equal(none, "No attributes specified.");
    await refused(h, { InstanceId: id!, HttpPutResponseHopLimit: "0" }, "InvalidParameterValue", "error-invalid-hop-limit");
    await refused(h, { InstanceId: id!, InstanceMetadataTags: "on" }, "InvalidParameterValue", "error-invalid-instance-metadata-tags");
  }));

test("ModifyInstanceMetadataOptions: DryRun answers DryRunOperation and changes nothing", () =>
  withHarness(async (h) => {
    const [id] = await launch(h);
    await refused(h, { InstanceId: id!, HttpTokens: "required", DryRun: "true" }, "DryRunOperation", "error-dry-run", 412);
    assert.equal((await tokenlessGet(h, id!)).status, 200);
  }));
