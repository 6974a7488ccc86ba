/**
 * The default VPC of an account in a Region, and its default subnets: one per Availability Zone
 * the emulator accepts (`<region>a`..`<region>f`). EC2 creates them with the account
 * (https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html). Their ids are derived from
 * account, Region and zone, so they are stable across restarts without being stored.
 * See docs/behaviour.md#default-vpc.
 */
export const ZONE_SUFFIXES = ["a", "b", "c", "d", "e", "f"] as const;
/** imds-lab's addressing (docs/behaviour.md#default-vpc); AWS's default VPCs use 172.31.0.0/16. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
const SUBNET_PREFIX_LENGTH = 20;
/** A /20 holds 4096 addresses; AWS reserves five of each subnet. */
export const DEFAULT_SUBNET_AVAILABLE_ADDRESSES = 4091;

export interface DefaultVpc {
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly cidrBlock: string;
  readonly cidrAssociationId: string;
  readonly dhcpOptionsId: string;
}

export interface DefaultSubnet {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly ownerId: string;
  readonly region: string;
  readonly availabilityZone: string;
  /** Index of the zone (a = 0): the subnet is 10.0.(16 × index).0/20. */
  readonly zoneIndex: number;
  readonly cidrBlock: string;
}

/** 17 hex digits from a string: FNV-1a, twice with different seeds (stable, not secret). */
function derivedHex(input: string): string {
  const fnv = (seed: number) => {
    let h = seed >>> 0;
    for (let i = 0; i < input.length; i++) {
      h ^= input.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, "0");
  };
  return (fnv(0x811c9dc5) + fnv(0x050c5d1f) + fnv(0x2b992ddf)).slice(0, 17);
}

export function defaultVpc(accountId: string, region: string): DefaultVpc {
  const seed = `${accountId}/${region}`;
  return {
    vpcId: `vpc-${derivedHex(`vpc/${seed}`)}`,
    ownerId: accountId,
    region,
    cidrBlock: DEFAULT_VPC_CIDR,
    cidrAssociationId: `vpc-cidr-assoc-${derivedHex(`assoc/${seed}`)}`,
    dhcpOptionsId: `dopt-${derivedHex(`dopt/${seed}`)}`,
  };
}

export function defaultSubnets(accountId: string, region: string): DefaultSubnet[] {
  const vpc = defaultVpc(accountId, region);
  return ZONE_SUFFIXES.map((suffix, zoneIndex) => ({
    subnetId: `subnet-${derivedHex(`subnet/${accountId}/${region}${suffix}`)}`,
    vpcId: vpc.vpcId,
    ownerId: accountId,
    region,
    availabilityZone: `${region}${suffix}`,
    zoneIndex,
    cidrBlock: `10.0.${zoneIndex * 16}.0/${SUBNET_PREFIX_LENGTH}`,
  }));
}

export function defaultSubnetForZone(accountId: string, region: string, availabilityZone: string): DefaultSubnet | undefined {
  return defaultSubnets(accountId, region).find((s) => s.availabilityZone === availabilityZone);
}

export function findDefaultSubnet(accountId: string, region: string, subnetId: string): DefaultSubnet | undefined {
  return defaultSubnets(accountId, region).find((s) => s.subnetId === subnetId);
}

/** The nth address handed out in a subnet: .4 onwards (AWS reserves the first four), within its /20. */
export function subnetAddress(subnet: DefaultSubnet, ordinal: number): string {
  const offset = ordinal % (250 * 16);
  return `10.0.${subnet.zoneIndex * 16 + Math.floor(offset / 250)}.${(offset % 250) + 4}`;
}
