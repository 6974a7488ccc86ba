import assert from "node:assert/strict";
import { test } from "node:test";
import { auditInventory, failsGate } from "./audit-findings.ts";
import type { Inventory } from "./inventory.ts";
import { aTemplate, anInstance, inventory, region } from "../../../test/support/migration-inventory.ts";

const rules = (inv: Inventory) => auditInventory(inv).findings.map((f) => `${f.rule} ${f.resourceId}`);

test("audit-findings: an instance allowing IMDSv1 is high; a disabled endpoint or required tokens is no finding", () => {
  const found = rules(
    inventory(
      region({
        accountDefaults: { httpTokens: "required", httpTokensEnforced: "enabled" },
        instances: [anInstance("i-open"), anInstance("i-off", {}, { httpEndpoint: "disabled" }), anInstance("i-v2", {}, { httpTokens: "required", instanceMetadataTags: "enabled" })],
      }),
    ),
  );
  assert.deepEqual(found, ["instance-imdsv1-allowed i-open", "instance-tags-in-metadata-off i-open"]);
});

test("audit-findings: a template that sets nothing inherits from the account default, then the AMI's ImdsSupport, then EC2 (optional)", () => {
  const images = [
    { imageId: "ami-v2", name: "v2", imdsSupport: "v2.0" as const, owned: false, tags: [] },
    { imageId: "ami-plain", name: "plain", owned: false, tags: [] },
  ];
  const templates = [aTemplate("lt-plain", {}, "ami-plain"), aTemplate("lt-v2ami", {}, "ami-v2"), aTemplate("lt-explicit", { httpTokens: "required" }, "ami-plain")];
  assert.deepEqual(
    rules(inventory(region({ accountDefaults: { httpTokensEnforced: "enabled" }, images, launchTemplates: templates }))).filter((r) => r.startsWith("launch")),
    ["launch-template-imdsv1-allowed lt-plain"],
  );
  // An account default of required covers templates that set nothing, whatever their AMI.
  assert.deepEqual(
    rules(inventory(region({ accountDefaults: { httpTokens: "required", httpTokensEnforced: "enabled" }, images, launchTemplates: templates }))).filter((r) => r.startsWith("launch")),
    [],
  );
  // ... but an explicit optional in the template beats it.
  const explicit = auditInventory(inventory(region({ accountDefaults: { httpTokens: "required" }, launchTemplates: [aTemplate("lt-opt", { httpTokens: "optional" })] })));
  assert.equal(explicit.findings.find((f) => f.rule === "launch-template-imdsv1-allowed")?.data.httpTokensFrom, "launch-template (lt-opt (lt-opt) version 1)");
});

test("audit-findings: hop limit 1 on a host tagged or imaged for EKS/ECS is a container-host finding", () => {
  const found = rules(
    inventory(
      region({
        accountDefaults: { httpTokens: "required", httpTokensEnforced: "enabled" },
        images: [{ imageId: "ami-ecs", name: "amzn2-ami-ecs-hvm-2.0", owned: true, imdsSupport: "v2.0", tags: [] }],
        instances: [
          anInstance("i-eks", { tags: [{ key: "kubernetes.io/cluster/prod", value: "owned" }] }, { httpTokens: "required", instanceMetadataTags: "enabled" }),
          anInstance("i-ecs", { imageId: "ami-ecs" }, { httpTokens: "required", instanceMetadataTags: "enabled" }),
          anInstance("i-two", { tags: [{ key: "eks:cluster-name", value: "prod" }] }, { httpTokens: "required", httpPutResponseHopLimit: 2, instanceMetadataTags: "enabled" }),
        ],
      }),
    ),
  );
  assert.deepEqual(found, ["instance-hop-limit-container-host i-ecs", "instance-hop-limit-container-host i-eks"]);
});

test("audit-findings: account defaults, enforcement, AMIs and unreadable calls; the gate compares severities", () => {
  const result = auditInventory(
    inventory(
      region({
        accountDefaults: {},
        images: [
          { imageId: "ami-mine", name: "mine", owned: true, tags: [] },
          { imageId: "ami-public", name: "public", owned: false, tags: [] },
        ],
        errors: [{ call: "DescribeInstances", code: "UnauthorizedOperation", message: "no" }],
      }),
    ),
  );
  assert.deepEqual(result.findings.map((f) => [f.severity, f.rule]), [
    ["medium", "account-default-imdsv1"],
    ["medium", "audit-incomplete"],
    ["medium", "image-imds-support-unset"],
    ["low", "account-enforcement-off"],
  ]);
  assert.deepEqual(result.counts, { info: 0, low: 1, medium: 3, high: 0 });
  assert.equal(failsGate(result.findings, "high"), false);
  assert.equal(failsGate(result.findings, "medium"), true);
});

test("audit-findings: a Region with nothing in it gets no account-level findings unless asked", () => {
  const empty = inventory(region({ region: "ap-south-2", accountDefaults: {} }));
  assert.deepEqual(auditInventory(empty).findings, []);
  assert.deepEqual(
    auditInventory(empty, undefined, { includeUnusedRegions: true }).findings.map((f) => f.rule),
    ["account-default-imdsv1", "account-enforcement-off"],
  );
});
