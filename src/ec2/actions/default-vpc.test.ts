import assert from "node:assert/strict";
import { test } from "node:test";
import { rawRequest } from "../../../test/support/http.ts";
import { expectError, golden, itemsOf } from "../../../test/support/ec2-answers.ts";
import { describedInstances, launch, withHarness } from "../../../test/support/instances.ts";

const subnets = (r: Parameters<typeof itemsOf>[0]) => itemsOf(r, "DescribeSubnets", "subnetSet");
const vpcs = (r: Parameters<typeof itemsOf>[0]) => itemsOf(r, "DescribeVpcs", "vpcSet");

test("default VPC: DescribeVpcs and DescribeSubnets show one default VPC and a default subnet per zone, stable per account and Region (golden)", () =>
  withHarness(async (h) => {
    const vpcAnswer = await h.call("DescribeVpcs");
    golden("DescribeVpcs", "default", vpcAnswer);
    const [vpc] = vpcs(vpcAnswer);
    assert.equal(vpc.isDefault, "true");
    const subnetAnswer = await h.call("DescribeSubnets", { "Filter.1.Name": "availability-zone", "Filter.1.Value.1": "us-east-1b" });
    golden("DescribeSubnets", "zone-b", subnetAnswer);
    const all = subnets(await h.call("DescribeSubnets"));
    assert.equal(all.length, 6);
    assert.ok(all.every((s) => s.vpcId === vpc.vpcId && s.defaultForAz === "true"));
    assert.equal(new Set(all.map((s) => s.cidrBlock)).size, 6);
    const [other] = vpcs(await h.call("DescribeVpcs", {}, { region: "eu-west-1" }));
    assert.notEqual(other.vpcId, vpc.vpcId);
    expectError(await h.call("DescribeSubnets", { "SubnetId.1": "subnet-00000000000000000" }), "InvalidSubnetID.NotFound", "The subnet ID 'subnet-00000000000000000' does not exist");
    expectError(await h.call("DescribeVpcs", { "VpcId.1": "vpc-00000000000000000" }), "InvalidVpcID.NotFound");
    assert.deepEqual(subnets(await h.call("DescribeSubnets", { "Filter.1.Name": "vpc-id", "Filter.1.Value.1": "vpc-0" })), []);
  }));

test("default VPC: RunInstances honours SubnetId, and the subnet shows in DescribeInstances, its filters and IMDS", () =>
  withHarness(async (h) => {
    const zoneC = subnets(await h.call("DescribeSubnets", { "Filter.1.Name": "availability-zone", "Filter.1.Value.1": "us-east-1c" }))[0];
    const [inC] = await launch(h, { SubnetId: zoneC.subnetId });
    const [inA] = await launch(h);
    const found = describedInstances(await h.call("DescribeInstances", { "Filter.1.Name": "subnet-id", "Filter.1.Value.1": zoneC.subnetId }));
    assert.deepEqual(found.map((i) => i.instanceId), [inC]);
    assert.equal(found[0].placement.availabilityZone, "us-east-1c");
    assert.equal(found[0].vpcId, zoneC.vpcId);
    assert.match(found[0].privateIpAddress, /^10\.0\.3[2-9]\.|^10\.0\.4[0-7]\./);
    const byVpc = describedInstances(await h.call("DescribeInstances", { "Filter.1.Name": "vpc-id", "Filter.1.Value.1": zoneC.vpcId }));
    assert.deepEqual(byVpc.map((i) => i.instanceId).sort(), [inA, inC].sort());
    const url = h.services.estate.endpointUrl(inC!)!;
    const mac = (await rawRequest(url, { path: "/latest/meta-data/mac" })).text();
    assert.match(mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    assert.equal((await rawRequest(url, { path: `/latest/meta-data/network/interfaces/macs/${mac}/subnet-id` })).text(), zoneC.subnetId);
    assert.equal((await rawRequest(url, { path: `/latest/meta-data/network/interfaces/macs/${mac}/subnet-ipv4-cidr-block` })).text(), zoneC.cidrBlock);
    assert.equal((await rawRequest(url, { path: `/latest/meta-data/network/interfaces/macs/${mac}/vpc-id` })).text(), zoneC.vpcId);
  }));

test("default VPC: an unknown SubnetId is InvalidSubnetID.NotFound and a contradicting zone is refused; nothing launches", () =>
  withHarness(async (h) => {
    expectError(await h.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1", SubnetId: "subnet-0123456789abcdef0" }), "InvalidSubnetID.NotFound", "The subnet ID 'subnet-0123456789abcdef0' does not exist");
    const zoneA = subnets(await h.call("DescribeSubnets", { "Filter.1.Name": "availability-zone", "Filter.1.Value.1": "us-east-1a" }))[0];
    expectError(await h.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1", SubnetId: zoneA.subnetId, "Placement.AvailabilityZone": "us-east-1b" }), "InvalidParameterCombination");
    const other = subnets(await h.call("DescribeSubnets", {}, { region: "eu-west-1" }))[0];
    expectError(await h.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1", SubnetId: other.subnetId }), "InvalidSubnetID.NotFound");
    assert.equal(describedInstances(await h.call("DescribeInstances")).length, 0);
  }));
