/**
 * Arbitrary form bodies to every instance and tag action: the answer is either a success body of
 * that action or EC2's error envelope with a client error (never InternalError), and a refused
 * call leaves the store exactly as it was.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import type { Ec2Harness } from "../../../test/support/ec2-harness.ts";
import { launch, PLAIN_IMAGE, putImage, putTemplate, stateSnapshot, V2_IMAGE, withHarness } from "../../../test/support/instances.ts";

const LT_ID = "lt-0123456789abcdef0";
const RUNS = Number(process.env.FC_RUNS ?? 60);

/** `#` stands for a list index, drawn from good and odd ones. */
const KEYS: Readonly<Record<string, readonly string[]>> = {
  RunInstances: [
    "ImageId", "MinCount", "MaxCount", "InstanceType", "KeyName", "UserData", "DryRun",
    "LaunchTemplate.LaunchTemplateId", "LaunchTemplate.LaunchTemplateName", "LaunchTemplate.Version",
    "MetadataOptions.HttpTokens", "MetadataOptions.HttpPutResponseHopLimit", "MetadataOptions.HttpEndpoint",
    "MetadataOptions.HttpProtocolIpv6", "MetadataOptions.InstanceMetadataTags",
    "TagSpecification.#.ResourceType", "TagSpecification.#.Tag.#.Key", "TagSpecification.#.Tag.#.Value",
    "IamInstanceProfile.Name", "IamInstanceProfile.Arn", "Placement.AvailabilityZone",
  ],
  DescribeInstances: ["InstanceId.#", "Filter.#.Name", "Filter.#.Value.#", "MaxResults", "NextToken", "DryRun"],
  ModifyInstanceMetadataOptions: [
    "InstanceId", "HttpTokens", "HttpPutResponseHopLimit", "HttpEndpoint", "HttpProtocolIpv6", "InstanceMetadataTags", "DryRun",
  ],
  StartInstances: ["InstanceId.#", "DryRun"],
  StopInstances: ["InstanceId.#", "DryRun", "Force"],
  TerminateInstances: ["InstanceId.#", "DryRun"],
  CreateTags: ["ResourceId.#", "Tag.#.Key", "Tag.#.Value", "DryRun"],
  DeleteTags: ["ResourceId.#", "Tag.#.Key", "Tag.#.Value", "DryRun"],
  DescribeTags: ["Filter.#.Name", "Filter.#.Value.#", "MaxResults", "NextToken", "DryRun"],
};

const INDEXES = ["1", "1", "2", "3", "0", "01", "x", ""];

function valuePool(instanceIds: readonly string[]): string[] {
  return [
    ...instanceIds, "i-0123456789abcdef0", "i-bad", PLAIN_IMAGE, V2_IMAGE, "ami-00000000000000001", "ami-x", LT_ID, "lt-x", "vol-1",
    "web", "$Latest", "$Default", "1", "2", "3", "0", "-1", "5", "65", "1000", "optional", "required", "enabled", "disabled",
    "instance", "volume", "image", "Name", "aws:x", "a b", "instance-id", "tag:Name", "metadata-options.http-tokens",
    "metadata-options.state", "tag-key", "key", "resource-type", "*", "web-?", "true", "false", "us-east-1a", "us-east-1z",
    "arn:aws:iam::123456789012:instance-profile/x", "aGVsbG8=", "not base64", "t3.micro", "eyJhIjoiRGVzY3JpYmVUYWdzIiwibyI6MH0",
  ];
}

/** A plausible request for `action` (required members present, mostly good values) to mutate from. */
function baseArbitrary(action: string, instanceIds: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const instance = fc.constantFrom(...instanceIds, ...instanceIds, "i-0123456789abcdef0");
  const resource = fc.constantFrom(...instanceIds, LT_ID, "ami-00000000000000001", PLAIN_IMAGE);
  const tagKey = fc.constantFrom("Name", "env", "team", "a b", "aws:x", "k/1");
  const option = fc.constantFrom(
    ["HttpTokens", "required"], ["HttpTokens", "optional"], ["HttpPutResponseHopLimit", "2"], ["HttpEndpoint", "disabled"],
    ["HttpEndpoint", "enabled"], ["HttpProtocolIpv6", "enabled"], ["InstanceMetadataTags", "enabled"], ["InstanceMetadataTags", "disabled"],
  );
  const options = (prefix: string) => fc.array(option, { maxLength: 3 }).map((pairs) => Object.fromEntries(pairs.map(([k, v]) => [prefix + k, v])));
  switch (action) {
    case "RunInstances":
      return fc
        .record({
          source: fc.constantFrom<Record<string, string>>({ ImageId: PLAIN_IMAGE }, { ImageId: V2_IMAGE }, { "LaunchTemplate.LaunchTemplateId": LT_ID }, { "LaunchTemplate.LaunchTemplateName": "web" }),
          min: fc.constantFrom("1", "1", "2", "0"),
          max: fc.constantFrom("1", "2", "3"),
          options: options("MetadataOptions."),
          tag: fc.option(tagKey, { nil: undefined }),
        })
        .map(({ source, min, max, options, tag }) => ({
          ...source,
          MinCount: min,
          MaxCount: max,
          ...options,
          ...(tag === undefined ? {} : { "TagSpecification.1.ResourceType": "instance", "TagSpecification.1.Tag.1.Key": tag }),
        }));
    case "ModifyInstanceMetadataOptions":
      return fc.tuple(instance, options("")).map(([id, opts]) => ({ InstanceId: id, ...opts }));
    case "StartInstances":
    case "StopInstances":
    case "TerminateInstances":
      return fc.array(instance, { minLength: 1, maxLength: 2 }).map((ids) => Object.fromEntries(ids.map((id, i) => [`InstanceId.${i + 1}`, id])));
    case "CreateTags":
    case "DeleteTags":
      return fc
        .tuple(resource, fc.array(fc.tuple(tagKey, fc.option(fc.constantFrom("", "v", "web"), { nil: undefined })), { maxLength: 2 }))
        .map(([id, tags]) => ({
          "ResourceId.1": id,
          ...Object.fromEntries(tags.flatMap(([k, v], i) => [[`Tag.${i + 1}.Key`, k], ...(v === undefined ? [] : [[`Tag.${i + 1}.Value`, v]])])),
        }));
    default:
      return fc.constant({});
  }
}

function paramsArbitrary(action: string, instanceIds: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const pool = valuePool(instanceIds);
  const known = fc
    .tuple(fc.constantFrom(...KEYS[action]!), fc.array(fc.constantFrom(...INDEXES), { minLength: 3, maxLength: 3 }))
    .map(([template, indexes]) => indexes.reduce((key, index) => key.replace("#", index), template));
  const key = fc.oneof({ weight: 5, arbitrary: known }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
  const value = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
    { weight: 1, arbitrary: fc.integer({ min: -3, max: 70 }).map(String) },
  );
  const extras = fc.array(fc.tuple(key, value), { maxLength: 4 });
  return fc
    .tuple(fc.oneof({ weight: 3, arbitrary: baseArbitrary(action, instanceIds) }, { weight: 1, arbitrary: fc.constant({}) }), extras)
    .map(([base, pairs]) => {
      const params: Record<string, string> = { ...base };
      for (const [k, v] of pairs) if (k !== "Action" && k !== "Version" && !(k in params)) params[k] = v;
      return params;
    });
}

const parser = new XMLParser({ ignoreAttributes: false });

async function setUp(h: Ec2Harness): Promise<string[]> {
  putImage(h, { imageId: "ami-00000000000000001", imdsSupport: "v2.0" });
  putTemplate(h, { id: LT_ID, name: "web", versions: [{ imageId: V2_IMAGE, instanceType: "t3.micro" }] });
  const ids = await launch(h, { MinCount: "2", MaxCount: "2", "MetadataOptions.InstanceMetadataTags": "enabled" });
  return [...ids, ...(await launch(h))];
}

for (const action of Object.keys(KEYS)) {
  test(`${action}: arbitrary form bodies answer success or an EC2 error envelope, and refusals write nothing`, () =>
    withHarness(async (h) => {
      const instanceIds = await setUp(h);
      await fc.assert(
        fc.asyncProperty(paramsArbitrary(action, instanceIds), async (params) => {
          const before = stateSnapshot(h);
          const result = await h.call(action, params);
          const doc = parser.parse(result.body);
          if (result.status === 200) {
            assert.ok(doc[`${action}Response`]?.requestId, result.body);
            return;
          }
          const error = doc.Response?.Errors?.Error;
          assert.ok(error?.Code, `not an error envelope: ${result.body}`);
          assert.notEqual(error.Code, "InternalError", `${action} ${JSON.stringify(params)} failed inside`);
          assert.ok(result.status >= 400 && result.status < 500, `status ${result.status}`);
          assert.equal(stateSnapshot(h), before, `${action} ${JSON.stringify(params)} wrote before failing with ${error.Code}`);
        }),
        { numRuns: RUNS },
      );
    }));
}
