import { test } from "node:test";
import assert from "node:assert/strict";
import type { InstanceRecord, Tag } from "../instance/instance.ts";
import { EC2_DEFAULT_OPTIONS } from "../options/metadata-options.ts";
import { buildIdentityDocument, buildInstanceCatalogue, partitionOf, privateDnsName, publicDnsName, type InstanceNotices } from "./instance-catalogue.ts";
import { findNode, listDirectory, type MetadataDirectory, type MetadataNode } from "./tree.ts";

function aRecord(overrides: Partial<InstanceRecord> = {}): InstanceRecord {
  return {
    instanceId: "i-0123456789abcdef0",
    accountId: "123456789012",
    region: "us-east-1",
    availabilityZone: "us-east-1a",
    availabilityZoneId: "use1-az4",
    imageId: "ami-0abcdef1234567890",
    instanceType: "m5.large",
    architecture: "x86_64",
    launchIndex: 0,
    reservationId: "r-0123456789abcdef0",
    launchTime: "2026-11-29T12:00:00Z",
    lifecycle: "on-demand",
    privateIpv4: "10.0.1.23",
    publicIpv4: "54.160.0.5",
    ipv6: null,
    mac: "0e:12:34:56:78:9a",
    interfaceId: "eni-0123456789abcdef0",
    subnetId: "subnet-0123456789abcdef0",
    subnetCidr: "10.0.0.0/20",
    vpcId: "vpc-0123456789abcdef0",
    vpcCidr: "10.0.0.0/16",
    securityGroups: [{ groupId: "sg-0123456789abcdef0", groupName: "default" }],
    keyPair: null,
    iamRole: { roleName: "app-role", instanceProfileArn: "arn:aws:iam::123456789012:instance-profile/app-role", instanceProfileId: "AIPA0123456789ABCDEF0" },
    userData: null,
    tags: [],
    state: "running",
    metadataOptions: EC2_DEFAULT_OPTIONS,
    metadataOptionsState: "applied",
    ...overrides,
  };
}

function withTags(tags: Tag[], enabled = true): InstanceRecord {
  return aRecord({ tags, metadataOptions: { ...EC2_DEFAULT_OPTIONS, instanceMetadataTags: enabled ? "enabled" : "disabled" } });
}

/** What GET /<version>/<path> finds: the node, or null for a 404. */
function at(record: InstanceRecord, version: string, path: string, notices: InstanceNotices = {}): MetadataNode | null {
  return findNode(buildInstanceCatalogue(record, notices), path.split("/").filter(Boolean), version);
}

function listing(record: InstanceRecord, version: string, path: string, notices: InstanceNotices = {}): string {
  const node = at(record, version, path, notices);
  assert.equal(node?.kind, "dir", `${version}/${path} is a directory`);
  return listDirectory(node as MetadataDirectory, version);
}

function value(record: InstanceRecord, version: string, path: string): string {
  const node = at(record, version, path);
  assert.equal(node?.kind, "leaf", `${version}/${path} is a leaf`);
  assert.ok(node.kind === "leaf" && typeof node.value === "string");
  return node.value;
}

// The captured `GET /latest/meta-data/` of a current instance with a role and a public IP
// (docs/behaviour.md#imds-data-plane): 25 entries, alphabetical, Content-Length 312.
const CAPTURED_META_DATA = [
  "ami-id", "ami-launch-index", "ami-manifest-path", "block-device-mapping/", "events/", "hostname", "iam/",
  "identity-credentials/", "instance-action", "instance-id", "instance-life-cycle", "instance-type", "local-hostname",
  "local-ipv4", "mac", "metrics/", "network/", "placement/", "profile", "public-hostname", "public-ipv4",
  "reservation-id", "security-groups", "services/", "system",
].join("\n");

test("buildInstanceCatalogue: latest meta-data/ lists what EC2 lists, with no trailing newline (312 bytes)", () => {
  const text = listing(aRecord(), "latest", "meta-data");
  assert.equal(text, CAPTURED_META_DATA);
  assert.equal(Buffer.byteLength(text), 312);
});

test("buildInstanceCatalogue: every directory listing ends without a newline and marks directories with /", () => {
  const record = aRecord({ keyPair: { keyName: "my-key", publicKey: "ssh-ed25519 AAAA my-key" }, tags: [{ key: "Name", value: "web" }], metadataOptions: { ...EC2_DEFAULT_OPTIONS, instanceMetadataTags: "enabled" } });
  const root = buildInstanceCatalogue(record);
  const walk = (node: MetadataDirectory, path: string[]): void => {
    const text = listDirectory(node, "latest");
    assert.ok(!text.endsWith("\n") && !text.startsWith("\n") && !text.includes("\n\n"), `/${path.join("/")}`);
    for (const [name, child] of node.children) {
      if (child.kind !== "dir" || findNode(root, [...path, name], "latest") === null) continue;
      const line = child.label ?? (node.plainListing ? name : `${name}/`);
      assert.ok(text.split("\n").includes(line), `${line} listed in /${path.join("/")}`);
      walk(child, [...path, name]);
    }
  };
  walk(root, []);
});

test("buildInstanceCatalogue: the version root lists dynamic, meta-data and user-data without slashes", () => {
  assert.equal(listing(aRecord({ userData: Buffer.from("#!/bin/sh\n").toString("base64") }), "latest", ""), "dynamic\nmeta-data\nuser-data");
});

test("buildInstanceCatalogue: user-data is not listed when the instance has none", () => {
  assert.equal(listing(aRecord(), "latest", ""), "dynamic\nmeta-data");
  assert.equal(at(aRecord(), "latest", "user-data"), null);
});

test("buildInstanceCatalogue: user-data is the decoded bytes, marked binary", () => {
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const node = at(aRecord({ userData: bytes.toString("base64") }), "latest", "user-data");
  assert.ok(node?.kind === "leaf" && typeof node.value === "string");
  assert.equal(node.binary, true);
  assert.deepEqual(Buffer.from(node.value, "latin1"), bytes);
});

test("buildInstanceCatalogue: under 1.0 the root has no dynamic/", () => {
  assert.equal(listing(aRecord(), "1.0", ""), "meta-data");
  assert.equal(at(aRecord(), "1.0", "dynamic"), null);
});

test("buildInstanceCatalogue: under 2009-04-04 there is no iam/, and placement/ has only availability-zone", () => {
  const lines = listing(aRecord(), "2009-04-04", "meta-data").split("\n");
  assert.ok(!lines.includes("iam/"));
  assert.ok(!lines.includes("identity-credentials/"));
  assert.ok(!lines.includes("events/"));
  assert.ok(!lines.includes("system"));
  assert.ok(!lines.includes("instance-life-cycle"));
  assert.ok(lines.includes("placement/"));
  assert.equal(listing(aRecord(), "2009-04-04", "meta-data/placement"), "availability-zone");
  assert.equal(at(aRecord(), "2009-04-04", "meta-data/iam/info"), null);
  assert.equal(at(aRecord(), "2009-04-04", "meta-data/placement/region"), null);
});

test("buildInstanceCatalogue: the 2009-04-04 meta-data listing is exactly the categories of that build", () => {
  assert.equal(
    listing(aRecord(), "2009-04-04", "meta-data"),
    [
      "ami-id", "ami-launch-index", "ami-manifest-path", "block-device-mapping/", "hostname", "instance-action",
      "instance-id", "instance-type", "local-hostname", "local-ipv4", "placement/", "profile", "public-hostname",
      "public-ipv4", "reservation-id", "security-groups",
    ].join("\n"),
  );
});

test("buildInstanceCatalogue: placement/ grows with the version", () => {
  assert.equal(listing(aRecord(), "2019-10-01", "meta-data/placement"), "availability-zone\navailability-zone-id");
  assert.equal(listing(aRecord(), "latest", "meta-data/placement"), "availability-zone\navailability-zone-id\nregion");
  assert.equal(value(aRecord(), "latest", "meta-data/placement/region"), "us-east-1");
});

test("buildInstanceCatalogue: tags/ is absent while tags in metadata are disabled", () => {
  const record = withTags([{ key: "Name", value: "web" }], false);
  assert.ok(!listing(record, "latest", "meta-data").split("\n").includes("tags/"));
  assert.equal(at(record, "latest", "meta-data/tags"), null);
  assert.equal(at(record, "latest", "meta-data/tags/instance/Name"), null);
});

test("buildInstanceCatalogue: tags/ appears from 2021-03-23 when enabled", () => {
  const record = withTags([{ key: "Name", value: "web" }]);
  assert.ok(listing(record, "2021-03-23", "meta-data").split("\n").includes("tags/"));
  assert.ok(listing(record, "latest", "meta-data").endsWith("\ntags/"));
  assert.equal(listing(record, "2021-03-23", "meta-data/tags"), "instance/");
  assert.equal(listing(record, "2021-03-23", "meta-data/tags/instance"), "Name");
  assert.equal(value(record, "2021-03-23", "meta-data/tags/instance/Name"), "web");
  assert.ok(!listing(record, "2021-01-03", "meta-data").split("\n").includes("tags/"));
  assert.equal(at(record, "2021-01-03", "meta-data/tags/instance/Name"), null);
});

test("buildInstanceCatalogue: with tags enabled and no tags, tags/instance is served empty", () => {
  const record = withTags([]);
  assert.equal(listing(record, "latest", "meta-data/tags"), "instance/");
  assert.equal(listing(record, "latest", "meta-data/tags/instance"), "");
});

test("buildInstanceCatalogue: tag keys not allowed in metadata are not shown; aws: keys and raw values are", () => {
  const record = withTags([
    { key: "Name", value: "web server #1" },
    { key: "my key", value: "x" },
    { key: "team/app", value: "x" },
    { key: "_index", value: "x" },
    { key: "..", value: "x" },
    { key: "aws:autoscaling:groupName", value: "asg-1" },
    { key: "Empty", value: "" },
  ]);
  assert.equal(listing(record, "latest", "meta-data/tags/instance"), "Name\naws:autoscaling:groupName\nEmpty");
  assert.equal(value(record, "latest", "meta-data/tags/instance/Name"), "web server #1");
  assert.equal(value(record, "latest", "meta-data/tags/instance/aws:autoscaling:groupName"), "asg-1");
  assert.equal(value(record, "latest", "meta-data/tags/instance/Empty"), "");
  assert.equal(at(record, "latest", "meta-data/tags/instance/_index"), null);
});

test("buildInstanceCatalogue: public-keys lists 0=<key name>, then openssh-key", () => {
  const record = aRecord({ keyPair: { keyName: "my-key", publicKey: "ssh-ed25519 AAAAC3Nz my-key" } });
  assert.ok(listing(record, "latest", "meta-data").split("\n").includes("public-keys/"));
  assert.equal(listing(record, "latest", "meta-data/public-keys"), "0=my-key");
  assert.equal(listing(record, "latest", "meta-data/public-keys/0"), "openssh-key");
  assert.equal(value(record, "latest", "meta-data/public-keys/0/openssh-key"), "ssh-ed25519 AAAAC3Nz my-key");
  assert.equal(at(aRecord(), "latest", "meta-data/public-keys"), null);
});

test("buildInstanceCatalogue: iam/ only with a role; the role is listed under security-credentials", () => {
  assert.equal(listing(aRecord(), "latest", "meta-data/iam"), "info\nsecurity-credentials/");
  assert.equal(listing(aRecord(), "latest", "meta-data/iam/security-credentials"), "app-role");
  assert.deepEqual(at(aRecord(), "latest", "meta-data/iam/security-credentials/app-role"), {
    kind: "leaf",
    since: "2012-01-12",
    value: { dynamic: "role-credentials" },
  });
  const roleless = aRecord({ iamRole: null });
  assert.ok(!listing(roleless, "latest", "meta-data").split("\n").includes("iam/"));
  assert.equal(at(roleless, "latest", "meta-data/iam/info"), null);
  assert.equal(at(aRecord(), "latest", "meta-data/iam/security-credentials-extended"), null);
});

test("buildInstanceCatalogue: iam/info is EC2-formatted JSON", () => {
  assert.equal(
    value(aRecord(), "latest", "meta-data/iam/info"),
    '{\n  "Code" : "Success",\n  "LastUpdated" : "2026-11-29T12:00:00Z",\n' +
      '  "InstanceProfileArn" : "arn:aws:iam::123456789012:instance-profile/app-role",\n' +
      '  "InstanceProfileId" : "AIPA0123456789ABCDEF0"\n}',
  );
});

test("buildInstanceCatalogue: public-hostname and public-ipv4 only with a public address", () => {
  const lines = listing(aRecord({ publicIpv4: null }), "latest", "meta-data").split("\n");
  assert.ok(!lines.includes("public-hostname") && !lines.includes("public-ipv4"));
  assert.equal(value(aRecord(), "latest", "meta-data/public-ipv4"), "54.160.0.5");
  assert.equal(value(aRecord(), "latest", "meta-data/public-hostname"), "ec2-54-160-0-5.compute-1.amazonaws.com");
});

test("buildInstanceCatalogue: empty directories are absent and unlisted (events/recommendations, spot)", () => {
  assert.equal(listing(aRecord(), "latest", "meta-data/events"), "maintenance/");
  assert.equal(at(aRecord(), "latest", "meta-data/events/recommendations"), null);
  assert.equal(at(aRecord(), "latest", "meta-data/spot"), null);
  const noticed: InstanceNotices = { rebalanceNoticeTime: "2026-11-29T13:00:00Z", spotInstanceAction: { action: "terminate", time: "2026-11-29T13:02:00Z" } };
  assert.equal(listing(aRecord(), "latest", "meta-data/events", noticed), "maintenance/\nrecommendations/");
  assert.equal(listing(aRecord(), "latest", "meta-data/spot", noticed), "instance-action\ntermination-time");
});

test("buildInstanceCatalogue: leaf values", () => {
  const record = aRecord({ securityGroups: [{ groupId: "sg-1", groupName: "default" }, { groupId: "sg-2", groupName: "web" }] });
  assert.equal(value(record, "latest", "meta-data/instance-id"), "i-0123456789abcdef0");
  assert.equal(value(record, "latest", "meta-data/local-ipv4"), "10.0.1.23");
  assert.equal(value(record, "latest", "meta-data/hostname"), "ip-10-0-1-23.ec2.internal");
  assert.equal(value(record, "latest", "meta-data/security-groups"), "default\nweb");
  assert.equal(value(record, "latest", "meta-data/services/partition"), "aws");
  assert.equal(value(record, "latest", "meta-data/network/interfaces/macs/0e:12:34:56:78:9a/security-group-ids"), "sg-1\nsg-2");
  assert.equal(listing(record, "latest", "meta-data/network/interfaces/macs"), "0e:12:34:56:78:9a/");
});

test("buildInstanceCatalogue: dynamic/ lists fws/ and instance-identity/", () => {
  assert.equal(listing(aRecord(), "latest", "dynamic"), "fws/\ninstance-identity/");
  assert.equal(listing(aRecord(), "latest", "dynamic/instance-identity"), "rsa2048\npkcs7\ndocument\nsignature");
  assert.equal(value(aRecord(), "latest", "dynamic/fws/instance-monitoring"), "disabled");
});

test("buildIdentityDocument: EC2's fields, order and ' : ' formatting, unset values null", () => {
  assert.equal(
    buildIdentityDocument(aRecord()),
    [
      "{",
      '  "accountId" : "123456789012",',
      '  "architecture" : "x86_64",',
      '  "availabilityZone" : "us-east-1a",',
      '  "billingProducts" : null,',
      '  "devpayProductCodes" : null,',
      '  "marketplaceProductCodes" : null,',
      '  "imageId" : "ami-0abcdef1234567890",',
      '  "instanceId" : "i-0123456789abcdef0",',
      '  "instanceType" : "m5.large",',
      '  "kernelId" : null,',
      '  "pendingTime" : "2026-11-29T12:00:00Z",',
      '  "privateIp" : "10.0.1.23",',
      '  "ramdiskId" : null,',
      '  "region" : "us-east-1",',
      '  "version" : "2017-09-30"',
      "}",
    ].join("\n"),
  );
  assert.equal(value(aRecord(), "latest", "dynamic/instance-identity/document"), buildIdentityDocument(aRecord()));
});

test("partitionOf, privateDnsName, publicDnsName: follow the region", () => {
  assert.deepEqual(partitionOf("cn-north-1"), { partition: "aws-cn", domain: "amazonaws.com.cn" });
  assert.deepEqual(partitionOf("us-gov-west-1"), { partition: "aws-us-gov", domain: "amazonaws.com" });
  assert.deepEqual(partitionOf("eu-west-1"), { partition: "aws", domain: "amazonaws.com" });
  assert.equal(privateDnsName("10.0.0.4", "eu-west-1"), "ip-10-0-0-4.eu-west-1.compute.internal");
  assert.equal(publicDnsName("54.1.2.3", "eu-west-1"), "ec2-54-1-2-3.eu-west-1.compute.amazonaws.com");
});

test("instance catalogue: system names the hypervisor of the instance type (xen for m1.small, nitro for m5.large)", () => {
  assert.equal(value(aRecord({ instanceType: "m1.small" }), "latest", "meta-data/system"), "xen");
  assert.equal(value(aRecord({ instanceType: "m5.large" }), "latest", "meta-data/system"), "nitro");
});
