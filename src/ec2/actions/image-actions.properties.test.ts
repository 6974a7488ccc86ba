import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createEc2Harness } from "../../../test/support/ec2-harness.ts";
import type { CallResult } from "../../../test/support/ec2-answers.ts";
import {
  createAccountsCaller,
  imagesOf,
  OTHER_ACCESS_KEY,
  PLAIN_PUBLIC_IMAGE,
  register,
  V2_PUBLIC_IMAGE,
  type Call,
} from "../../../test/support/images.ts";
import { AccountDefaultsService } from "../../app/account-defaults-service.ts";
import type { StateStore } from "../../store/state-store.ts";

const ACTIONS = [
  "RegisterImage",
  "DescribeImages",
  "DescribeImageAttribute",
  "ModifyImageAttribute",
  "DeregisterImage",
  "GetInstanceMetadataDefaults",
  "ModifyInstanceMetadataDefaults",
] as const;

/** Every parameter name these actions read, plus near misses; random names are added on top. */
const KEYS = [
  "Name", "Description", "Architecture", "RootDeviceName", "ImageLocation", "ImdsSupport", "ImdsSupport.Value",
  "Description.Value", "Attribute", "Value", "ImageId", "ImageId.1", "ImageId.2", "ImageId.0", "Owner.1", "Owner.2",
  "ExecutableBy.1", "Filter.1.Name", "Filter.1.Value.1", "Filter.1.Value.2", "Filter.2.Name", "Filter.2.Value.1",
  "LaunchPermission.Add.1.Group", "LaunchPermission.Add.1.UserId", "LaunchPermission.Remove.1.UserId",
  "LaunchPermission.Remove.1.Group", "LaunchPermission.Add.1.OrganizationArn", "LaunchPermission.Add.1", "OperationType",
  "UserId.1", "UserGroup.1", "ProductCode.1", "TagSpecification.1.ResourceType", "TagSpecification.1.Tag.1.Key",
  "TagSpecification.1.Tag.1.Value", "TagSpecification.1.Tag.2.Key", "DryRun", "MaxResults", "NextToken", "HttpTokens",
  "HttpPutResponseHopLimit", "HttpEndpoint", "InstanceMetadataTags", "HttpTokensEnforced", "HttpProtocolIpv6",
];

const VALUES = [
  "", "v2.0", "v1.0", "V2.0", "self", "amazon", "all", "add", "remove", "image", "snapshot", "imdsSupport", "description",
  "launchPermission", "kernel", "blockDeviceMapping", "productCodes", "name", "image-id", "is-public", "tag:team",
  "tag-key", "owner-id", "al2023*", "*", "?", "true", "false", "x86_64", "arm64", "required", "optional", "no-preference",
  "enabled", "disabled", "-1", "0", "1", "2", "64", "65", "123456789012", "210987654321", "111122223333", "abc",
  "ami-12345678", "ami-0123456789abcdef0", PLAIN_PUBLIC_IMAGE, V2_PUBLIC_IMAGE, "aws:reserved", "fuzz-image", "web (1)",
];

const arbValue = (extraValues: readonly string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...VALUES, ...extraValues), weight: 3 },
    fc.string({ maxLength: 16 }),
    fc.string({ unit: "binary", maxLength: 8 }),
  );

/**
 * Plausible members (each present about half the time, so calls get past "missing parameter"),
 * overlaid with arbitrary keys and values.
 */
const arbParams = (imageIds: readonly string[]) =>
  fc
    .tuple(
      fc.record(
        {
          ImageId: fc.constantFrom(...imageIds, PLAIN_PUBLIC_IMAGE, V2_PUBLIC_IMAGE, "ami-12345678", "ami-1"),
          Name: fc.constantFrom("fuzz-image", "own-v2", "theirs", "ab", "x".repeat(129)),
          Attribute: fc.constantFrom("imdsSupport", "description", "launchPermission", "kernel", "blockDeviceMapping", "bogus"),
          Value: fc.constantFrom("v2.0", "", "v1.0", "text"),
          "ImdsSupport.Value": fc.constantFrom("v2.0", "", "v1.0"),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 12 })), arbValue(imageIds), { maxKeys: 5 }),
    )
    .map(([core, extra]) => {
      // The caller sets Action itself; a generated "Action" key would turn the call into another action.
      const { Action: _action, ...rest } = { ...core, ...extra } as Record<string, string>;
      return rest;
    });

function snapshot(store: StateStore): string {
  return JSON.stringify({ images: store.images.list(), defaults: store.accountDefaultsScopes() });
}

/** Either `<{action}Response>` with 200, or EC2's error envelope with a code that is not InternalError. */
function assertEc2Answer(action: string, result: CallResult): void {
  if (result.status === 200) {
    assert.ok(result.xml[`${action}Response`], `200 without ${action}Response: ${result.body}`);
    return;
  }
  const error = result.xml?.Response?.Errors?.Error;
  assert.ok(error, `status ${result.status} without an error envelope: ${result.body}`);
  assert.equal(typeof error.Code, "string");
  assert.notEqual(error.Code, "InternalError", result.body);
  assert.ok(result.status >= 400 && result.status < 500, `status ${result.status}: ${result.body}`);
}

test("image actions: arbitrary parameters give an EC2 success or error, and a failed call changes no state", async () => {
  const h = await createEc2Harness();
  try {
    const call = createAccountsCaller(h.services);
    const ownIds = [await register(call, { Name: "own-v2", ImdsSupport: "v2.0" }), await register(call, { Name: "own-plain" })];
    const theirs = await register(call, { Name: "theirs" }, { accessKeyId: OTHER_ACCESS_KEY });
    new AccountDefaultsService(h.store).setDeclarativePolicy("210987654321", "eu-west-1", {
      ec2_attributes: { instance_metadata_defaults: { http_tokens: { "@@assign": "required" } } },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTIONS),
        arbParams([...ownIds, theirs]),
        fc.constantFrom(undefined, OTHER_ACCESS_KEY),
        fc.constantFrom("us-east-1", "eu-west-1"),
        async (action, params, accessKeyId, region) => {
          const before = snapshot(h.store);
          const result = await call(action, params, { region, ...(accessKeyId === undefined ? {} : { accessKeyId }) });
          assertEc2Answer(action, result);
          if (result.status !== 200) assert.equal(snapshot(h.store), before, `${action} failed but changed state: ${result.body}`);
        },
      ),
      { numRuns: 500 },
    );
  } finally {
    await h.close();
  }
});

type Step =
  | { readonly kind: "register"; readonly name: string; readonly v2: boolean }
  | { readonly kind: "modify"; readonly target: number; readonly params: Record<string, string> }
  | { readonly kind: "deregister"; readonly target: number };

const arbModifyParams: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constantFrom("v2.0", "", "v1.0", "none", "unset", "V2.0").map((v) => ({ "ImdsSupport.Value": v })),
  fc.constantFrom("v2.0", "", "v1.0", "null").map((v) => ({ Attribute: "imdsSupport", Value: v })),
  fc.constant({ Attribute: "imdsSupport" }),
  fc.constant({ "ImdsSupport.Value": "", "Description.Value": "both" }),
  fc.constant({ Attribute: "description", Value: "" }),
  fc.constant({ "Description.Value": "changed" }),
  fc.constant({ "LaunchPermission.Add.1.Group": "all" }),
  fc.constant({ Attribute: "launchPermission", OperationType: "remove", "UserGroup.1": "all" }),
  fc.constant({ Attribute: "imdsSupport", Value: "", DryRun: "true" }),
  arbParams([]),
);

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("register" as const), name: fc.constantFrom("img-a", "img-b", "img-c"), v2: fc.boolean() }),
  { arbitrary: fc.record({ kind: fc.constant("modify" as const), target: fc.nat(), params: arbModifyParams }), weight: 4 },
  fc.record({ kind: fc.constant("deregister" as const), target: fc.nat() }),
);

async function ownImages(call: Call): Promise<Map<string, string | undefined>> {
  const images = imagesOf(await call("DescribeImages", { "Owner.1": "self" }));
  return new Map(images.map((image) => [String(image.imageId), image.imdsSupport === undefined ? undefined : String(image.imdsSupport)]));
}

test("ImdsSupport: no sequence of calls takes an AMI from v2.0 back to unset", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(arbStep, { minLength: 1, maxLength: 25 }), async (steps) => {
      const h = await createEc2Harness();
      try {
        const registered: string[] = [];
        const everV2 = new Set<string>();
        for (const step of steps) {
          if (step.kind === "register") {
            const result = await h.call("RegisterImage", { Name: step.name, ...(step.v2 ? { ImdsSupport: "v2.0" } : {}) });
            if (result.status === 200) registered.push(String(result.xml.RegisterImageResponse.imageId));
          } else if (registered.length > 0) {
            const imageId = registered[step.target % registered.length]!;
            const params = step.kind === "modify" ? { ...step.params, ImageId: imageId } : { ImageId: imageId };
            await h.call(step.kind === "modify" ? "ModifyImageAttribute" : "DeregisterImage", params);
          }
          for (const [imageId, imdsSupport] of await ownImages(h.call)) {
            if (everV2.has(imageId)) assert.equal(imdsSupport, "v2.0", `${imageId} lost ImdsSupport after ${JSON.stringify(step)}`);
            if (imdsSupport === "v2.0") everV2.add(imageId);
            const attribute = await h.call("DescribeImageAttribute", { ImageId: imageId, Attribute: "imdsSupport" });
            const value = attribute.xml.DescribeImageAttributeResponse?.imdsSupport?.value;
            assert.equal(value, imdsSupport, "DescribeImageAttribute and DescribeImages agree");
          }
        }
      } finally {
        await h.close();
      }
    }),
    { numRuns: 60 },
  );
});
