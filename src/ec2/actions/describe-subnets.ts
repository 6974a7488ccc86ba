import { availabilityZoneId } from "../../app/instance-factory.ts";
import { defaultSubnets, DEFAULT_SUBNET_AVAILABLE_ADDRESSES, type DefaultSubnet } from "../../domain/network/default-vpc.ts";
import { DomainError } from "../../domain/errors.ts";
import { defineAction } from "../action.ts";
import type { FilterSchema } from "../filters.ts";
import { paginate } from "../pagination.ts";
import type { XmlObject } from "../xml.ts";
import { named, parseDescribe, quoted, type DescribeInput } from "./default-vpc-wire.ts";

const SUBNET_FILTERS: FilterSchema<DefaultSubnet> = {
  fields: {
    "availability-zone": (s) => [s.availabilityZone],
    "availability-zone-id": (s) => [availabilityZoneId(s.region, s.availabilityZone)],
    "available-ip-address-count": () => [DEFAULT_SUBNET_AVAILABLE_ADDRESSES],
    "cidr-block": (s) => [s.cidrBlock],
    "default-for-az": () => ["true"],
    "map-public-ip-on-launch": () => ["true"],
    "owner-id": (s) => [s.ownerId],
    state: () => ["available"],
    "subnet-arn": (s) => [subnetArn(s)],
    "subnet-id": (s) => [s.subnetId],
    "vpc-id": (s) => [s.vpcId],
  },
  tagValues: () => [],
};

function subnetArn(s: DefaultSubnet): string {
  return `arn:aws:ec2:${s.region}:${s.ownerId}:subnet/${s.subnetId}`;
}

function renderSubnet(s: DefaultSubnet): XmlObject {
  return {
    subnetId: s.subnetId,
    subnetArn: subnetArn(s),
    state: "available",
    ownerId: s.ownerId,
    vpcId: s.vpcId,
    cidrBlock: s.cidrBlock,
    ipv6CidrBlockAssociationSet: [],
    availableIpAddressCount: DEFAULT_SUBNET_AVAILABLE_ADDRESSES,
    availabilityZone: s.availabilityZone,
    availabilityZoneId: availabilityZoneId(s.region, s.availabilityZone),
    defaultForAz: true,
    mapPublicIpOnLaunch: true,
    mapCustomerOwnedIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    enableDns64: false,
    ipv6Native: false,
    privateDnsNameOptionsOnLaunch: { hostnameType: "ip-name", enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
  };
}

/** DescribeSubnets (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html): the default subnets, one per zone. */
export const describeSubnetsAction = defineAction<DescribeInput<DefaultSubnet>>({
  name: "DescribeSubnets",
  parse(ctx) {
    const input = parseDescribe(ctx.params, "SubnetId", "DescribeSubnets", SUBNET_FILTERS);
    named(defaultSubnets(ctx.accountId, ctx.region), input.ids, (s) => s.subnetId, notFoundSubnets);
    return input;
  },
  execute({ ids, matches, page }, ctx) {
    const all = named(defaultSubnets(ctx.accountId, ctx.region), ids, (s) => s.subnetId, notFoundSubnets);
    const { items, nextToken } = paginate(all, matches, page, "DescribeSubnets");
    return { subnetSet: items.map(renderSubnet), nextToken };
  },
});

function notFoundSubnets(missing: string[]): DomainError {
  return new DomainError("InvalidSubnetID.NotFound", `The subnet ID ${quoted(missing)} does not exist`);
}
