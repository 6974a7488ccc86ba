import { defaultVpc, type DefaultVpc } from "../../domain/network/default-vpc.ts";
import { DomainError } from "../../domain/errors.ts";
import { defineAction } from "../action.ts";
import type { FilterSchema } from "../filters.ts";
import { paginate } from "../pagination.ts";
import type { XmlObject } from "../xml.ts";
import { named, parseDescribe, quoted, type DescribeInput } from "./default-vpc-wire.ts";

const VPC_FILTERS: FilterSchema<DefaultVpc> = {
  fields: {
    "cidr": (v) => [v.cidrBlock],
    "cidr-block-association.cidr-block": (v) => [v.cidrBlock],
    "cidr-block-association.association-id": (v) => [v.cidrAssociationId],
    "cidr-block-association.state": () => ["associated"],
    "dhcp-options-id": (v) => [v.dhcpOptionsId],
    "is-default": () => ["true"],
    "owner-id": (v) => [v.ownerId],
    state: () => ["available"],
    "vpc-id": (v) => [v.vpcId],
  },
  tagValues: () => [],
};

function renderVpc(v: DefaultVpc): XmlObject {
  return {
    vpcId: v.vpcId,
    ownerId: v.ownerId,
    state: "available",
    cidrBlock: v.cidrBlock,
    cidrBlockAssociationSet: [{ cidrBlock: v.cidrBlock, associationId: v.cidrAssociationId, cidrBlockState: { state: "associated" } }],
    dhcpOptionsId: v.dhcpOptionsId,
    instanceTenancy: "default",
    isDefault: true,
  };
}

/** DescribeVpcs (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html): the default VPC. */
export const describeVpcsAction = defineAction<DescribeInput<DefaultVpc>>({
  name: "DescribeVpcs",
  parse(ctx) {
    const input = parseDescribe(ctx.params, "VpcId", "DescribeVpcs", VPC_FILTERS);
    named([defaultVpc(ctx.accountId, ctx.region)], input.ids, (v) => v.vpcId, notFoundVpcs);
    return input;
  },
  execute({ ids, matches, page }, ctx) {
    const all = named([defaultVpc(ctx.accountId, ctx.region)], ids, (v) => v.vpcId, notFoundVpcs);
    const { items, nextToken } = paginate(all, matches, page, "DescribeVpcs");
    return { vpcSet: items.map(renderVpc), nextToken };
  },
});

function notFoundVpcs(missing: string[]): DomainError {
  return new DomainError("InvalidVpcID.NotFound", `The vpc ID ${quoted(missing)} does not exist`);
}

