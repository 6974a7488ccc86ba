import type { LaunchLevel as OptionLevel } from "../instance/option-source.ts";
import { test } from "node:test";
import assert from "node:assert/strict";
import { DomainError } from "../errors.ts";
import type { AccountMetadataDefaults } from "../options/account-defaults.ts";
import type { HttpTokens, MetadataOptions, MetadataOptionsInput } from "../options/metadata-options.ts";
import {
  assertLaunchAllowed,
  assertModificationAllowed,
  HTTP_TOKENS_ENFORCED_MESSAGE,
  resolveLaunchOptions,
  type LaunchOptionsRequest,
} from "./resolve.ts";

const REGION = "us-east-1";
const V2_AMI = { imageId: "ami-123", imdsSupport: "v2.0" } as const;
const PLAIN_AMI = { imageId: "ami-456", imdsSupport: null } as const;

function account(fields: Omit<AccountMetadataDefaults, "managedBy"> = {}): LaunchOptionsRequest["account"] {
  return { managedBy: "account", region: REGION, ...fields };
}

function isEnforcementError(err: unknown): boolean {
  return err instanceof DomainError && err.code === "UnsupportedOperation" && err.message === HTTP_TOKENS_ENFORCED_MESSAGE;
}

// The user guide's "Set the instance metadata version" table (docs/behaviour.md#order-of-precedence-at-launch): launch parameter, account
// default, AMI ImdsSupport -> result. The last column is the level the result must name.
type Row = [HttpTokens | "not set", HttpTokens | "No preference", "v2.0" | null, HttpTokens, OptionLevel];
const HTTP_TOKENS_TABLE: Row[] = [
  ["required", "No preference", "v2.0", "required", "launch-parameters"],
  ["required", "required", "v2.0", "required", "launch-parameters"],
  ["required", "optional", "v2.0", "required", "launch-parameters"],
  ["optional", "No preference", "v2.0", "optional", "launch-parameters"],
  ["optional", "required", "v2.0", "optional", "launch-parameters"],
  ["optional", "optional", "v2.0", "optional", "launch-parameters"],
  ["not set", "No preference", "v2.0", "required", "ami"],
  ["not set", "required", "v2.0", "required", "account-defaults"],
  ["not set", "optional", "v2.0", "optional", "account-defaults"],
  ["required", "No preference", null, "required", "launch-parameters"],
  ["required", "required", null, "required", "launch-parameters"],
  ["required", "optional", null, "required", "launch-parameters"],
  ["optional", "No preference", null, "optional", "launch-parameters"],
  ["optional", "required", null, "optional", "launch-parameters"],
  ["optional", "optional", null, "optional", "launch-parameters"],
  ["not set", "No preference", null, "optional", "ec2-default"],
  ["not set", "required", null, "required", "account-defaults"],
  ["not set", "optional", null, "optional", "account-defaults"],
];

for (const [launch, acct, imds, expected, level] of HTTP_TOKENS_TABLE) {
  test(`resolveLaunchOptions: HttpTokens table, launch ${launch} / account ${acct} / AMI ${imds ?? "null"} -> ${expected}`, () => {
    const { options, sources } = resolveLaunchOptions({
      launchParameters: launch === "not set" ? {} : { httpTokens: launch },
      account: account(acct === "No preference" ? {} : { httpTokens: acct }),
      image: imds === "v2.0" ? V2_AMI : PLAIN_AMI,
    });
    assert.equal(options.httpTokens, expected);
    assert.equal(sources.httpTokens.level, level);
  });
}

test("resolveLaunchOptions: example 1, account hop limit 1 beats the AMI's 2 while HttpTokens comes from the AMI", () => {
  const { options, sources } = resolveLaunchOptions({
    account: account({ httpPutResponseHopLimit: 1 }),
    image: V2_AMI,
  });
  assert.equal(options.httpTokens, "required");
  assert.deepEqual(sources.httpTokens, { level: "ami", imageId: "ami-123" });
  assert.equal(options.httpPutResponseHopLimit, 1);
  assert.deepEqual(sources.httpPutResponseHopLimit, { level: "account-defaults", region: REGION });
});

test("resolveLaunchOptions: example 2, HttpTokens=optional at launch beats the AMI", () => {
  const { options, sources } = resolveLaunchOptions({
    launchParameters: { httpTokens: "optional" },
    account: account({ httpPutResponseHopLimit: 1 }),
    image: V2_AMI,
  });
  assert.equal(options.httpTokens, "optional");
  assert.equal(sources.httpTokens.level, "launch-parameters");
  assert.equal(options.httpPutResponseHopLimit, 1);
});

test("resolveLaunchOptions: example 3, enforcement rejects optional at launch, accepts required and nothing", () => {
  const enforced = account({ httpTokens: "required", httpTokensEnforced: "enabled" });
  assert.throws(
    () => resolveLaunchOptions({ launchParameters: { httpTokens: "optional" }, account: enforced, image: PLAIN_AMI }),
    isEnforcementError,
  );
  const explicit = resolveLaunchOptions({ launchParameters: { httpTokens: "required" }, account: enforced, image: PLAIN_AMI });
  assert.equal(explicit.options.httpTokens, "required");
  const implicit = resolveLaunchOptions({ account: enforced, image: PLAIN_AMI });
  assert.equal(implicit.options.httpTokens, "required");
  assert.equal(implicit.sources.httpTokens.level, "account-defaults");
});

test("resolveLaunchOptions: hop limit defaults to 2 from an ImdsSupport=v2.0 AMI with no preference", () => {
  const { options, sources } = resolveLaunchOptions({ account: account(), image: V2_AMI });
  assert.equal(options.httpPutResponseHopLimit, 2);
  assert.equal(sources.httpPutResponseHopLimit.level, "ami");
});

test("resolveLaunchOptions: hop limit defaults to 1 from EC2 without ImdsSupport", () => {
  const { options, sources } = resolveLaunchOptions({ account: account(), image: PLAIN_AMI });
  assert.equal(options.httpPutResponseHopLimit, 1);
  assert.deepEqual(sources.httpPutResponseHopLimit, { level: "ec2-default" });
});

test("resolveLaunchOptions: account HttpTokens=required leaves hop limit at 1 on a plain AMI", () => {
  const { options } = resolveLaunchOptions({ account: account({ httpTokens: "required" }), image: PLAIN_AMI });
  assert.equal(options.httpTokens, "required");
  assert.equal(options.httpPutResponseHopLimit, 1);
});

test("resolveLaunchOptions: hop limit from launch parameters and template beat account and AMI", () => {
  const template = { input: { httpPutResponseHopLimit: 3 }, templateId: "lt-0abc", templateName: "web", version: 3 };
  const fromTemplate = resolveLaunchOptions({ launchTemplate: template, account: account({ httpPutResponseHopLimit: 5 }), image: V2_AMI });
  assert.equal(fromTemplate.options.httpPutResponseHopLimit, 3);
  assert.deepEqual(fromTemplate.sources.httpPutResponseHopLimit, { level: "launch-template", templateId: "lt-0abc", templateName: "web", version: 3 });
  const fromLaunch = resolveLaunchOptions({
    launchParameters: { httpPutResponseHopLimit: 64 },
    launchTemplate: template,
    account: account({ httpPutResponseHopLimit: 5 }),
    image: V2_AMI,
  });
  assert.equal(fromLaunch.options.httpPutResponseHopLimit, 64);
});

test("resolveLaunchOptions: EC2 defaults when no level sets anything", () => {
  const { options, sources } = resolveLaunchOptions({ account: account(), image: PLAIN_AMI });
  const expected: MetadataOptions = {
    httpTokens: "optional",
    httpPutResponseHopLimit: 1,
    httpEndpoint: "enabled",
    httpProtocolIpv6: "disabled",
    instanceMetadataTags: "disabled",
  };
  assert.deepEqual(options, expected);
  for (const source of Object.values(sources)) assert.equal(source.level, "ec2-default");
});

test("resolveLaunchOptions: RunInstances beats the launch template per field, not as a whole", () => {
  const template: MetadataOptionsInput = { httpTokens: "required", httpEndpoint: "disabled", instanceMetadataTags: "enabled" };
  const { options, sources } = resolveLaunchOptions({
    launchParameters: { httpEndpoint: "enabled" },
    launchTemplate: { input: template, templateId: "lt-0abc", templateName: "web", version: 3 },
    account: account(),
    image: PLAIN_AMI,
  });
  assert.equal(options.httpEndpoint, "enabled");
  assert.equal(sources.httpEndpoint.level, "launch-parameters");
  assert.equal(options.httpTokens, "required");
  assert.equal(options.instanceMetadataTags, "enabled");
  assert.deepEqual(sources.httpTokens, { level: "launch-template", templateId: "lt-0abc", templateName: "web", version: 3 });
});

test("resolveLaunchOptions: account defaults fill HttpEndpoint and InstanceMetadataTags", () => {
  const { options, sources } = resolveLaunchOptions({
    account: account({ httpEndpoint: "disabled", instanceMetadataTags: "enabled" }),
    image: V2_AMI,
  });
  assert.equal(options.httpEndpoint, "disabled");
  assert.equal(options.instanceMetadataTags, "enabled");
  assert.deepEqual(sources.instanceMetadataTags, { level: "account-defaults", region: REGION });
});

test("resolveLaunchOptions: HttpProtocolIpv6 has no account level, even if an account object carries one", () => {
  const smuggled = { ...account(), httpProtocolIpv6: "enabled" } as LaunchOptionsRequest["account"];
  const { options, sources } = resolveLaunchOptions({ account: smuggled, image: V2_AMI });
  assert.equal(options.httpProtocolIpv6, "disabled");
  assert.equal(sources.httpProtocolIpv6.level, "ec2-default");
});

test("resolveLaunchOptions: the AMI sets only HttpTokens and the hop limit", () => {
  const { sources } = resolveLaunchOptions({ account: account(), image: V2_AMI });
  assert.equal(sources.httpEndpoint.level, "ec2-default");
  assert.equal(sources.httpProtocolIpv6.level, "ec2-default");
  assert.equal(sources.instanceMetadataTags.level, "ec2-default");
});

test("resolveLaunchOptions: enforcement rejects optional that comes from the account, template or EC2 default", () => {
  const cases: LaunchOptionsRequest[] = [
    { account: account({ httpTokens: "optional", httpTokensEnforced: "enabled" }), image: V2_AMI },
    {
      launchTemplate: { input: { httpTokens: "optional" }, templateId: "lt-1", templateName: "t", version: 1 },
      account: account({ httpTokensEnforced: "enabled" }),
      image: V2_AMI,
    },
    { account: account({ httpTokensEnforced: "enabled" }), image: PLAIN_AMI },
  ];
  for (const request of cases) assert.throws(() => resolveLaunchOptions(request), isEnforcementError);
});

test("resolveLaunchOptions: enforcement accepts required from the AMI, and disabled enforcement accepts optional", () => {
  const fromAmi = resolveLaunchOptions({ account: account({ httpTokensEnforced: "enabled" }), image: V2_AMI });
  assert.equal(fromAmi.options.httpTokens, "required");
  const off = resolveLaunchOptions({ account: account({ httpTokensEnforced: "disabled" }), image: PLAIN_AMI });
  assert.equal(off.options.httpTokens, "optional");
});

test("assertLaunchAllowed: refuses a result with HttpTokens=optional under enforcement", () => {
  const enforced = account({ httpTokensEnforced: "enabled" });
  const optional: MetadataOptions = { ...resolveLaunchOptions({ account: account(), image: PLAIN_AMI }).options };
  assert.throws(() => assertLaunchAllowed(enforced, optional), isEnforcementError);
  assert.doesNotThrow(() => assertLaunchAllowed(enforced, { ...optional, httpTokens: "required" }));
});

test("assertLaunchAllowed: allows optional when enforcement is disabled or unset", () => {
  const optional: MetadataOptions = { ...resolveLaunchOptions({ account: account(), image: PLAIN_AMI }).options };
  assert.doesNotThrow(() => assertLaunchAllowed(account({ httpTokensEnforced: "disabled" }), optional));
  assert.doesNotThrow(() => assertLaunchAllowed(account(), optional));
});

test("assertModificationAllowed: under enforcement only an explicit HttpTokens=optional is refused", () => {
  const enforced = account({ httpTokensEnforced: "enabled" });
  assert.throws(() => assertModificationAllowed(enforced, { httpTokens: "optional" }), isEnforcementError);
  assert.doesNotThrow(() => assertModificationAllowed(enforced, { httpPutResponseHopLimit: 2 }));
  assert.doesNotThrow(() => assertModificationAllowed(enforced, { httpTokens: "required" }));
  assert.doesNotThrow(() => assertModificationAllowed(account(), { httpTokens: "optional" }));
});
