import { describeOptionSource, type LaunchLevel as OptionLevel } from "../instance/option-source.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { DomainError } from "../errors.ts";
import type { MetadataOptions, MetadataOptionsInput } from "../options/metadata-options.ts";
import {
  OPTION_FIELDS,
  resolveLaunchOptions,
  type LaunchOptionsRequest,
} from "./resolve.ts";

const LEVELS: readonly OptionLevel[] = ["launch-parameters", "launch-template", "account-defaults", "ami", "ec2-default"];

// The oracle below restates docs/behaviour.md#order-of-precedence-at-launch from the raw request, independently of the layer code.
const EC2_DEFAULTS: MetadataOptions = {
  httpTokens: "optional",
  httpPutResponseHopLimit: 1,
  httpEndpoint: "enabled",
  httpProtocolIpv6: "disabled",
  instanceMetadataTags: "disabled",
};
const AMI_V2: MetadataOptionsInput = { httpTokens: "required", httpPutResponseHopLimit: 2 };

function levelValues(request: LaunchOptionsRequest, field: keyof MetadataOptions): [OptionLevel, unknown][] {
  const accountValue = field === "httpProtocolIpv6" ? undefined : request.account[field];
  return [
    ["launch-parameters", request.launchParameters?.[field]],
    ["launch-template", request.launchTemplate?.input[field]],
    ["account-defaults", accountValue],
    ["ami", request.image.imdsSupport === "v2.0" ? AMI_V2[field] : undefined],
    ["ec2-default", EC2_DEFAULTS[field]],
  ];
}

function highestSetter(request: LaunchOptionsRequest, field: keyof MetadataOptions): [OptionLevel, unknown] {
  const found = levelValues(request, field).find(([, value]) => value !== undefined);
  assert.ok(found);
  return found;
}

const arbOptionsInput: fc.Arbitrary<MetadataOptionsInput> = fc.record(
  {
    httpTokens: fc.constantFrom("optional", "required"),
    httpPutResponseHopLimit: fc.integer({ min: 1, max: 64 }),
    httpEndpoint: fc.constantFrom("enabled", "disabled"),
    httpProtocolIpv6: fc.constantFrom("enabled", "disabled"),
    instanceMetadataTags: fc.constantFrom("enabled", "disabled"),
  },
  { requiredKeys: [] },
);

function arbRequest(enforced: fc.Arbitrary<"enabled" | "disabled" | undefined>): fc.Arbitrary<LaunchOptionsRequest> {
  const arbAccountFields = fc.record(
    {
      httpTokens: fc.constantFrom("optional", "required"),
      httpPutResponseHopLimit: fc.integer({ min: 1, max: 64 }),
      httpEndpoint: fc.constantFrom("enabled", "disabled"),
      instanceMetadataTags: fc.constantFrom("enabled", "disabled"),
    },
    { requiredKeys: [] },
  );
  return fc
    .record({
      launchParameters: fc.option(arbOptionsInput, { nil: undefined }),
      launchTemplate: fc.option(
        fc.record({
          input: arbOptionsInput,
          templateId: fc.constantFrom("lt-0abc", "lt-9f"),
          templateName: fc.constantFrom("web", "batch"),
          version: fc.integer({ min: 1, max: 20 }),
        }),
        { nil: undefined },
      ),
      accountFields: arbAccountFields,
      region: fc.constantFrom("us-east-1", "eu-west-3"),
      enforced: enforced,
      imdsSupport: fc.constantFrom("v2.0" as const, null),
    })
    .map(({ launchParameters, launchTemplate, accountFields, region, enforced: e, imdsSupport }) => ({
      launchParameters,
      launchTemplate,
      account: {
        ...accountFields,
        ...(e === undefined ? {} : { httpTokensEnforced: e }),
        managedBy: "account" as const,
        region,
      },
      image: { imageId: "ami-123", imdsSupport },
    }));
}

const notEnforced = fc.constantFrom("disabled" as const, undefined);

// Enough runs that every level wins every field many times over (a level wins a field in roughly
// one run in ten).
const RUNS = { numRuns: 1000 };

function reordered<T extends object>(value: T): fc.Arbitrary<T> {
  const keys = Object.keys(value);
  return fc
    .shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length })
    .map((order) => Object.fromEntries(order.map((k) => [k, (value as Record<string, unknown>)[k]])) as T);
}

function maybeReordered<T extends object>(value: T | undefined): fc.Arbitrary<T | undefined> {
  return value === undefined ? fc.constant(undefined) : reordered(value);
}

test("resolveLaunchOptions: the result never depends on the order in which fields are given", () => {
  const arbPair = arbRequest(notEnforced).chain((request) =>
    fc
      .record({
        launchParameters: maybeReordered(request.launchParameters),
        templateInput: maybeReordered(request.launchTemplate?.input),
        account: reordered(request.account),
      })
      .chain(({ launchParameters, templateInput, account }) =>
        reordered<LaunchOptionsRequest>({
          launchParameters,
          launchTemplate:
            request.launchTemplate === undefined || templateInput === undefined
              ? undefined
              : { ...request.launchTemplate, input: templateInput },
          account,
          image: request.image,
        }),
      )
      .map((shuffled) => [request, shuffled] as const),
  );
  fc.assert(
    fc.property(arbPair, ([request, shuffled]) => {
      assert.deepStrictEqual(resolveLaunchOptions(shuffled), resolveLaunchOptions(request));
    }),
    RUNS,
  );
});

function withoutField(input: MetadataOptionsInput, field: keyof MetadataOptions): MetadataOptionsInput {
  const copy: Record<string, unknown> = { ...input };
  delete copy[field];
  return copy as MetadataOptionsInput;
}

function clearAt(request: LaunchOptionsRequest, level: OptionLevel, field: keyof MetadataOptions): LaunchOptionsRequest {
  switch (level) {
    case "launch-parameters":
      return { ...request, launchParameters: withoutField(request.launchParameters ?? {}, field) };
    case "launch-template": {
      const template = request.launchTemplate;
      return template === undefined ? request : { ...request, launchTemplate: { ...template, input: withoutField(template.input, field) } };
    }
    case "account-defaults": {
      const account = { ...request.account };
      delete (account as Partial<Record<keyof MetadataOptions, unknown>>)[field];
      return { ...request, account };
    }
    default:
      return request;
  }
}

const CLEARABLE: readonly OptionLevel[] = ["launch-parameters", "launch-template", "account-defaults"];

test("resolveLaunchOptions: clearing a field at the deciding level falls through to the next level's value", () => {
  fc.assert(
    fc.property(arbRequest(notEnforced), fc.constantFrom(...OPTION_FIELDS), (request, field) => {
      const before = resolveLaunchOptions(request);
      const winner = before.sources[field].level;
      fc.pre(CLEARABLE.includes(winner));
      const ladder = levelValues(request, field);
      const below = ladder.slice(ladder.findIndex(([level]) => level === winner) + 1);
      const next = below.find(([, value]) => value !== undefined);
      assert.ok(next);
      const after = resolveLaunchOptions(clearAt(request, winner, field));
      assert.equal(after.sources[field].level, next[0]);
      assert.equal(after.options[field], next[1]);
      for (const other of OPTION_FIELDS.filter((f) => f !== field)) {
        assert.deepStrictEqual(after.sources[other], before.sources[other]);
        assert.equal(after.options[other], before.options[other]);
      }
    }),
    RUNS,
  );
});

test("resolveLaunchOptions: clearing a field below the deciding level changes nothing", () => {
  fc.assert(
    fc.property(arbRequest(notEnforced), fc.constantFrom(...OPTION_FIELDS), fc.constantFrom(...CLEARABLE), (request, field, level) => {
      const before = resolveLaunchOptions(request);
      fc.pre(LEVELS.indexOf(level) > LEVELS.indexOf(before.sources[field].level));
      assert.deepStrictEqual(resolveLaunchOptions(clearAt(request, level, field)), before);
    }),
    RUNS,
  );
});

function expectedDetail(request: LaunchOptionsRequest, level: OptionLevel): string {
  switch (level) {
    case "launch-parameters":
      return "RunInstances MetadataOptions";
    case "launch-template": {
      const t = request.launchTemplate;
      assert.ok(t);
      return `${t.templateId} (${t.templateName}) version ${t.version}`;
    }
    case "account-defaults":
      return request.account.region;
    case "ami":
      return `${request.image.imageId} ImdsSupport=v2.0`;
    case "ec2-default":
      return "EC2 default";
  }
}

test("resolveLaunchOptions: each value's source names the highest level that set it", () => {
  fc.assert(
    fc.property(arbRequest(notEnforced), (request) => {
      const { options, sources } = resolveLaunchOptions(request);
      for (const field of OPTION_FIELDS) {
        const [level, value] = highestSetter(request, field);
        assert.equal(sources[field].level, level, field);
        assert.equal(describeOptionSource(sources[field]), expectedDetail(request, level));
        assert.equal(options[field], value, field);
      }
    }),
    RUNS,
  );
});

test("resolveLaunchOptions: under enforcement a launch fails exactly when HttpTokens resolves to optional", () => {
  fc.assert(
    fc.property(arbRequest(fc.constant("enabled" as const)), (request) => {
      const [, tokens] = highestSetter(request, "httpTokens");
      if (tokens === "required") {
        assert.equal(resolveLaunchOptions(request).options.httpTokens, "required");
      } else {
        assert.throws(() => resolveLaunchOptions(request), (e) => e instanceof DomainError && e.code === "UnsupportedOperation");
      }
    }),
    RUNS,
  );
});
