import assert from "node:assert/strict";
import { test } from "node:test";
import { aTemplate, anInstance, inventory, region } from "../../../test/support/migration-inventory.ts";
import { auditInventory } from "./audit-findings.ts";
import { shellQuote } from "./aws-cli.ts";
import type { CallerReport, InstanceCallerReport } from "./caller-report.ts";
import { buildMigrationPlan } from "./migration-plan.ts";

function reportFor(instanceId: string, fields: Partial<InstanceCallerReport>): CallerReport {
  return {
    generatedAt: "2026-11-29T12:00:00.000Z",
    observedSince: "2026-11-29T11:00:00.000Z",
    accessLog: { capacity: 10, recorded: 5, dropped: 0, overflowCallers: 0 },
    instances: [
      {
        instanceId,
        region: "us-east-1",
        state: "running",
        httpTokens: "optional",
        httpPutResponseHopLimit: 1,
        httpEndpoint: "enabled",
        metrics: { MetadataNoToken: 3, MetadataNoTokenRejected: 0, tokenResponsesWithheld: 0 },
        verdict: "breaks",
        v1Callers: [],
        rejectedCallers: [],
        hopLimitCallers: [],
        v2Callers: [],
        requiredHopLimit: 1,
        ...fields,
      },
    ],
  };
}

const CALLER = {
  key: "process:42:7",
  label: "pid 42 python3 poll.py",
  attribution: "attributed" as const,
  remoteAddresses: ["127.0.0.1"],
  userAgents: ["Python-urllib/3.11"],
  v1Requests: 3,
  v1Rejected: 0,
  v2Requests: 0,
  tokenPuts: 0,
  v1Paths: [{ path: "/latest/meta-data/instance-id", count: 3 }],
  hop: { requiredHopLimit: 1, evidence: "same-host" as const, detail: "127.0.0.1 is an address of this host" },
};

const ESTATE = inventory(
  region({
    images: [{ imageId: "ami-1", name: "app", owned: true, tags: [] }],
    launchTemplates: [aTemplate("lt-1", { httpPutResponseHopLimit: 1 })],
    instances: [anInstance("i-1"), anInstance("i-2", { state: "stopped" })],
  }),
  region({ region: "eu-west-1", accountDefaults: { managedBy: "declarative-policy" }, instances: [anInstance("i-3")] }),
);

test("migration-plan: callers first, then AMIs (irreversible), account defaults, templates, instances, enforcement last", () => {
  const plan = buildMigrationPlan(auditInventory(ESTATE), reportFor("i-1", { v1Callers: [CALLER] }), Date.UTC(2026, 10, 29));
  assert.deepEqual(
    plan.steps.map((s) => [s.order, s.id]),
    [
      [1, "callers:us-east-1:i-1/process:42:7"],
      [2, "images:us-east-1:ami-1"],
      [3, "account-defaults:us-east-1:us-east-1"],
      [4, "account-defaults:eu-west-1:eu-west-1"],
      [5, "launch-templates:us-east-1:lt-1"],
      [6, "instances:us-east-1:i-1"],
      [7, "instances:us-east-1:i-2"],
      [8, "instances:eu-west-1:i-3"],
      [9, "enforcement:us-east-1:us-east-1"],
    ],
  );
  assert.deepEqual(plan.irreversible, ["images:us-east-1:ami-1"]);
  const [caller, image, defaults, policy, template, instance] = plan.steps;
  assert.equal(caller?.manual, true);
  assert.deepEqual(caller?.findings, ["observed-imdsv1-caller:us-east-1:i-1:process:42:7"]);
  assert.equal(image?.reversible, false);
  assert.deepEqual(image?.awsCli, ["aws ec2 modify-image-attribute --region us-east-1 --image-id ami-1 --imds-support Value=v2.0"]);
  assert.deepEqual(defaults?.awsCli, ["aws ec2 modify-instance-metadata-defaults --region us-east-1 --http-tokens required"]);
  // A Region under a declarative policy gets a manual step, and no enforcement step the account could not take.
  assert.deepEqual([policy?.action.kind, policy?.manual], ["change-declarative-policy", true]);
  assert.deepEqual(template?.awsCli, [
    `aws ec2 create-launch-template-version --region us-east-1 --launch-template-id lt-1 --source-version 1 --version-description 'imds-lab: require IMDSv2' --launch-template-data '{"MetadataOptions":{"HttpTokens":"required","HttpPutResponseHopLimit":1}}'`,
    "aws ec2 modify-launch-template --region us-east-1 --launch-template-id lt-1 --default-version '<new version from $Default>'",
  ]);
  assert.deepEqual(instance?.dependsOn, ["callers:us-east-1:i-1/process:42:7"]);
  assert.ok(instance?.notes.some((n) => /predicts 1 IMDSv1 caller/.test(n)));
  assert.deepEqual(plan.steps[8]?.dependsOn, ["launch-templates:us-east-1:lt-1"]);
  assert.equal(plan.id, buildMigrationPlan(auditInventory(ESTATE), reportFor("i-1", { v1Callers: [CALLER] }), 0).id, "the id digests the steps, not the time");
});

test("migration-plan: the hop limit rises to what the report's farthest caller needs, never falls", () => {
  const plan = buildMigrationPlan(auditInventory(ESTATE), reportFor("i-1", { requiredHopLimit: 3 }), 0);
  const step = plan.steps.find((s) => s.id === "instances:us-east-1:i-1")!;
  assert.deepEqual(step.action, { kind: "require-v2-instance", instanceId: "i-1", httpPutResponseHopLimit: 3 });
  assert.equal(step.awsCli[0], "aws ec2 modify-instance-metadata-options --region us-east-1 --instance-id i-1 --http-tokens required --http-put-response-hop-limit 3");
  const quiet = plan.steps.find((s) => s.id === "instances:us-east-1:i-2")!;
  assert.deepEqual(quiet.action, { kind: "require-v2-instance", instanceId: "i-2" });
  assert.ok(quiet.notes.includes("no IMDS traffic observed for this instance: callers are unknown"));
});

test("aws-cli: arguments are quoted only where a shell would split or expand them", () => {
  assert.equal(shellQuote("i-0abc"), "i-0abc");
  assert.equal(shellQuote("Value=v2.0"), "Value=v2.0");
  assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
  assert.equal(shellQuote("$Latest"), "'$Latest'");
});
