/**
 * Differential test: our evaluator against @cloud-copilot/iam-simulate (AGPL, a devDependency used
 * here only, as an oracle; ecosystem §5). fast-check generates identity policies, SCPs and request
 * contexts over the operators and key shapes the emulator uses; both must reach the same decision.
 *
 * Left out on purpose, where the two disagree by design or the oracle has its own reading:
 * policy variables (`${…}`), Date and IP operators, case differences inside resource ARNs (the
 * oracle matches ARN segments case-insensitively), wildcard request resources, lenient number
 * parsing ("3abc"), and IfExists combined with a set operator.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { authorizeRequest, type AuthorizationRequest } from "./evaluate-policy.ts";
import { parsePolicyDocument } from "./policy-document.ts";

const ACCOUNT = "123456789012";
const ACTIONS = ["ec2:RunInstances", "ec2:ModifyInstanceMetadataOptions", "ec2:DescribeInstances", "sts:DecodeAuthorizationMessage"];
const ACTION_PATTERNS = ["*", "ec2:*", "ec2:Run*", "ec2:RunInstances", "ec2:runinstances", "EC2:Modify?nstance*", "ec2:Describe*", "sts:*", "ec2:*Metadata*"];
const RESOURCES = [`arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc`, "arn:aws:ec2:us-east-1::image/ami-0123", `arn:aws:ec2:eu-west-1:${ACCOUNT}:launch-template/lt-1`];
const RESOURCE_PATTERNS = [
  "*",
  "arn:aws:ec2:*:*:instance/*",
  `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc`,
  "arn:aws:ec2:*::image/*",
  "arn:aws:ec2:us-?ast-1:*:*",
  "arn:aws:ec2:*",
  "arn:aws:ec2:eu-west-1:*:launch-template/lt-?",
];
const KEYS = ["ec2:MetadataHttpTokens", "ec2:MetadataHttpPutResponseHopLimit", "ec2:RoleDelivery", "ec2:Attribute/HttpTokens", "aws:TagKeys", "ec2:Public"];
const VALUES = ["required", "optional", "Required", "req*", "*", "opt?onal", "1", "2", "3", "2.0", "1.0", "-1", "true", "false", "True", "abc"];
const BASE_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringEqualsIgnoreCase",
  "StringNotEqualsIgnoreCase",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericNotEquals",
  "NumericLessThan",
  "NumericLessThanEquals",
  "NumericGreaterThan",
  "NumericGreaterThanEquals",
  "Bool",
];

const arbOperator = fc.oneof(
  fc.constantFrom(...BASE_OPERATORS),
  fc.constantFrom(...BASE_OPERATORS).map((op) => `${op}IfExists`),
  fc.tuple(fc.constantFrom("ForAnyValue", "ForAllValues"), fc.constantFrom(...BASE_OPERATORS)).map(([set, op]) => `${set}:${op}`),
);

const arbValues = fc.oneof(fc.constantFrom(...VALUES), fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }));
const arbBlock = (values: fc.Arbitrary<string | string[]>) => fc.dictionary(fc.constantFrom(...KEYS), values, { minKeys: 1, maxKeys: 2 });

/** One to three operator blocks; `Null` takes true/false. */
const arbCondition = fc
  .uniqueArray(
    fc.oneof(
      fc.tuple(arbOperator, arbBlock(arbValues)),
      fc.tuple(fc.constant("Null"), arbBlock(fc.constantFrom("true", "false", "True"))),
    ),
    { minLength: 1, maxLength: 3, selector: ([operator]) => operator },
  )
  .map((entries) => Object.fromEntries(entries));

const oneOrMany = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.uniqueArray(arb, { minLength: 1, maxLength: 3 }));

const arbStatement = fc
  .record({
    // Mostly Allows, and broad patterns, so that every decision turns up often.
    Effect: fc.constantFrom("Allow", "Allow", "Allow", "Deny"),
    actions: oneOrMany(fc.constantFrom("*", "ec2:*", ...ACTION_PATTERNS)),
    notAction: fc.constantFrom(false, false, false, true),
    resources: oneOrMany(fc.constantFrom("*", ...RESOURCE_PATTERNS)),
    notResource: fc.constantFrom(false, false, false, true),
    Condition: fc.option(arbCondition, { nil: undefined, freq: 2 }),
  })
  .map(({ Effect, actions, notAction, resources, notResource, Condition }) => ({
    Effect,
    [notAction ? "NotAction" : "Action"]: actions,
    [notResource ? "NotResource" : "Resource"]: resources,
    ...(Condition === undefined ? {} : { Condition }),
  }));

const arbPolicy = fc.array(arbStatement, { minLength: 1, maxLength: 3 }).map((Statement) => ({ Version: "2012-10-17", Statement }));

const arbContext = fc.dictionary(
  fc.constantFrom(...KEYS),
  fc.oneof(fc.constantFrom(...VALUES), fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 0, maxLength: 3 })),
  { maxKeys: 4 },
);

const arbCase = fc.record({
  identity: fc.array(arbPolicy, { minLength: 0, maxLength: 3 }),
  scps: fc.option(fc.array(arbPolicy, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  action: fc.constantFrom(...ACTIONS),
  resource: fc.constantFrom(...RESOURCES),
  context: arbContext,
});

interface Case {
  readonly identity: readonly object[];
  readonly scps: readonly object[] | undefined;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

function oracle(c: Case): string {
  return runUnsafeSimulation(
    {
      request: {
        principal: `arn:aws:iam::${ACCOUNT}:user/dev`,
        action: c.action,
        resource: { resource: c.resource, accountId: ACCOUNT },
        contextVariables: c.context,
      },
      identityPolicies: c.identity.map((policy, i) => ({ name: `id${i}`, policy })),
      serviceControlPolicies: c.scps === undefined ? [] : [{ orgIdentifier: ACCOUNT, policies: c.scps.map((policy, i) => ({ name: `scp${i}`, policy })) }],
      resourceControlPolicies: [],
    },
    {},
  ) as unknown as string;
}

test("evaluate-policy: agrees with iam-simulate on generated identity policies, SCPs and contexts", () => {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(arbCase, (c) => {
      const request: AuthorizationRequest = { action: c.action, resource: c.resource, context: c.context };
      const ours = authorizeRequest(
        {
          identity: c.identity.map((p, i) => parsePolicyDocument(p, `id${i}`)),
          scps: c.scps?.map((p, i) => parsePolicyDocument(p, `scp${i}`)),
        },
        request,
      ).decision;
      assert.equal(ours, oracle(c), JSON.stringify(c));
      seen.set(ours, (seen.get(ours) ?? 0) + 1);
    }),
    { numRuns: Number(process.env.ORACLE_RUNS ?? 2000) },
  );
  // The generators must reach every decision often, or the agreement says little.
  if (process.env.ORACLE_RUNS !== undefined) console.log(Object.fromEntries(seen));
  for (const decision of ["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]) assert.ok((seen.get(decision) ?? 0) > 100, `${decision}: ${seen.get(decision)}`);
});

test("evaluate-policy: agrees with iam-simulate on the example policy statements, case by case", () => {
  const scp = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "RequireImdsV2", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringNotEquals: { "ec2:MetadataHttpTokens": "required" } } },
      { Sid: "MaxImdsHopLimit", Effect: "Deny", Action: "ec2:RunInstances", Resource: "arn:aws:ec2:*:*:instance/*", Condition: { NumericGreaterThan: { "ec2:MetadataHttpPutResponseHopLimit": "3" } } },
      { Sid: "RequireAllEc2RolesToUseV2", Effect: "Deny", Action: "*", Resource: "*", Condition: { NumericLessThan: { "ec2:RoleDelivery": "2.0" } } },
    ],
  };
  const contexts: Record<string, string>[] = [
    { "ec2:MetadataHttpTokens": "required", "ec2:MetadataHttpPutResponseHopLimit": "2" },
    { "ec2:MetadataHttpTokens": "optional" },
    {},
    { "ec2:MetadataHttpTokens": "required", "ec2:MetadataHttpPutResponseHopLimit": "5" },
    { "ec2:MetadataHttpTokens": "required", "ec2:RoleDelivery": "1.0" },
    { "ec2:MetadataHttpTokens": "required", "ec2:RoleDelivery": "2.0" },
  ];
  for (const context of contexts) {
    const c = { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }], scps: [scp], action: "ec2:RunInstances", resource: RESOURCES[0]!, context };
    const ours = authorizeRequest({ identity: c.identity.map((p) => parsePolicyDocument(p, "id")), scps: [parsePolicyDocument(scp, "scp")] }, { ...c, context }).decision;
    assert.equal(ours, oracle(c), JSON.stringify(context));
  }
});
