import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { createEc2Harness, type Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { expectError, expectOk, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import { createTemplate } from "../../../test/support/launch-templates.ts";

const ACTION = "DescribeLaunchTemplates";

describe("DescribeLaunchTemplates", () => {
  let h: Ec2Harness;
  let web: string;
  let db: string;
  let batch: string;
  beforeEach(async () => {
    h = await createEc2Harness();
    web = await createTemplate(h, "web", { "TagSpecification.1.ResourceType": "launch-template", "TagSpecification.1.Tag.1.Key": "team", "TagSpecification.1.Tag.1.Value": "platform" });
    h.clock.advance(3_600_000);
    db = await createTemplate(h, "database", { "TagSpecification.1.ResourceType": "launch-template", "TagSpecification.1.Tag.1.Key": "team", "TagSpecification.1.Tag.1.Value": "data" });
    batch = await createTemplate(h, "batch-jobs");
  });
  afterEach(async () => {
    await h.close();
  });

  async function names(params: Record<string, string>, options: { region?: string } = {}): Promise<string[]> {
    const result = await h.call(ACTION, params, options);
    expectOk(result);
    return itemsOf(result, ACTION, "launchTemplates").map((t) => t.launchTemplateName);
  }

  it("DescribeLaunchTemplates: lists the Region's templates in creation order", async () => {
    const result = await h.call(ACTION);
    expectOk(result);
    golden(ACTION, "success", result);
    assert.deepEqual(await names({}), ["web", "database", "batch-jobs"]);
  });

  it("DescribeLaunchTemplates: another Region has none of them, and an empty list is <launchTemplates/>", async () => {
    const result = await h.call(ACTION, {}, { region: "ap-south-1" });
    expectOk(result);
    golden(ACTION, "empty", result);
    assert.deepEqual(itemsOf(result, ACTION, "launchTemplates"), []);
  });

  it("DescribeLaunchTemplates: LaunchTemplateId.N and LaunchTemplateName.N pick templates in request order", async () => {
    assert.deepEqual(await names({ "LaunchTemplateId.1": batch, "LaunchTemplateId.2": web }), ["batch-jobs", "web"]);
    assert.deepEqual(await names({ "LaunchTemplateName.1": "database" }), ["database"]);
    assert.deepEqual(await names({ "LaunchTemplateId.1": db, "LaunchTemplateName.1": "database" }), ["database"], "named twice, listed once");
  });

  it("DescribeLaunchTemplates: a named template that does not exist fails the whole call", async () => {
    const byName = await h.call(ACTION, { "LaunchTemplateName.1": "web", "LaunchTemplateName.2": "cache" });
    expectError(byName, "InvalidLaunchTemplateName.NotFoundException", "At least one of the launch templates specified in the request does not exist.");
    golden(ACTION, "name-not-found", byName);
    const byId = await h.call(ACTION, { "LaunchTemplateId.1": "lt-0123456789abcdef0" });
    expectError(byId, "InvalidLaunchTemplateId.NotFound", "At least one of the launch templates specified in the request does not exist.");
    golden(ACTION, "id-not-found", byId);
    const otherRegion = await h.call(ACTION, { "LaunchTemplateId.1": web }, { region: "eu-west-1" });
    expectError(otherRegion, "InvalidLaunchTemplateId.NotFound");
  });

  it("DescribeLaunchTemplates: a malformed id is InvalidLaunchTemplateId.Malformed", async () => {
    const result = await h.call(ACTION, { "LaunchTemplateId.1": "web" });
    expectError(result, "InvalidLaunchTemplateId.Malformed", 'Invalid id: "web" (expecting "lt-...")');
    golden(ACTION, "id-malformed", result);
  });

  it("DescribeLaunchTemplates: filters by name, tag, tag key and create time", async () => {
    assert.deepEqual(await names({ "Filter.1.Name": "launch-template-name", "Filter.1.Value.1": "*a*" }), ["database", "batch-jobs"]);
    assert.deepEqual(await names({ "Filter.1.Name": "tag:team", "Filter.1.Value.1": "platform", "Filter.1.Value.2": "data" }), ["web", "database"]);
    assert.deepEqual(await names({ "Filter.1.Name": "tag-key", "Filter.1.Value.1": "team", "Filter.2.Name": "tag:team", "Filter.2.Value.1": "d*" }), ["database"]);
    assert.deepEqual(await names({ "Filter.1.Name": "create-time", "Filter.1.Value.1": "2026-11-29T13:*" }), ["database", "batch-jobs"]);
    assert.deepEqual(await names({ "LaunchTemplateName.1": "web", "Filter.1.Name": "tag:team", "Filter.1.Value.1": "data" }), [], "a named template a filter excludes is not an error");
  });

  it("DescribeLaunchTemplates: an unknown filter is InvalidParameterValue", async () => {
    const result = await h.call(ACTION, { "Filter.1.Name": "image-id", "Filter.1.Value.1": "ami-1" });
    expectError(result, "InvalidParameterValue", "The filter 'image-id' is invalid");
    golden(ACTION, "invalid-filter", result);
    expectError(await h.call(ACTION, { "Filter.1.Value.1": "x" }), "InvalidParameterValue", "The filter 'null' is invalid");
  });

  it("DescribeLaunchTemplates: MaxResults pages through with NextToken", async () => {
    const first = await h.call(ACTION, { MaxResults: "2" });
    golden(ACTION, "first-page", first);
    const token = first.xml.DescribeLaunchTemplatesResponse.nextToken;
    assert.equal(typeof token, "string");
    assert.deepEqual(itemsOf(first, ACTION, "launchTemplates").map((t) => t.launchTemplateName), ["web", "database"]);
    const second = await h.call(ACTION, { MaxResults: "2", NextToken: token });
    assert.deepEqual(itemsOf(second, ACTION, "launchTemplates").map((t) => t.launchTemplateName), ["batch-jobs"]);
    assert.equal(second.xml.DescribeLaunchTemplatesResponse.nextToken, undefined, "no token after the last page");
  });

  it("DescribeLaunchTemplates: MaxResults outside 1..200 and foreign tokens are refused", async () => {
    for (const value of ["0", "201"]) {
      expectError(await h.call(ACTION, { MaxResults: value }), "InvalidParameterValue", `Value (${value}) for parameter maxResults is invalid. Expecting a value between 1 and 200.`);
    }
    golden(ACTION, "max-results-invalid", (await h.call(ACTION, { MaxResults: "0" })));
    expectError(await h.call(ACTION, { MaxResults: "ten" }), "InvalidParameterValue");
    const token = await h.call(ACTION, { NextToken: "not-ours" });
    expectError(token, "InvalidPaginationToken", "The specified pagination token is not valid or is expired.");
    golden(ACTION, "invalid-next-token", token);
  });

  it("DescribeLaunchTemplates: DryRun answers 412", async () => {
    const result = await h.call(ACTION, { DryRun: "true" });
    assert.equal(result.status, 412);
    expectError(result, "DryRunOperation", { status: 412 });
  });
});
