import type { InstanceRecord, Tag } from "../domain/instance/instance.ts";
import { EC2_DEFAULT_OPTIONS, type MetadataOptions } from "../domain/options/metadata-options.ts";
import { defaultSubnetForZone, defaultVpc, findDefaultSubnet, subnetAddress } from "../domain/network/default-vpc.ts";
import { instanceMacAddress } from "../domain/network/mac-address.ts";
import type { RandomSource } from "../platform/crypto.ts";
import type { IdSource } from "./ports.ts";

const AZ_IDS: Record<string, string> = { a: "az4", b: "az6", c: "az1", d: "az2", e: "az3", f: "az5" };
const REGION_ABBREVIATIONS: Record<string, string> = {
  "us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2",
  "eu-west-1": "euw1", "eu-west-2": "euw2", "eu-west-3": "euw3", "eu-central-1": "euc1", "eu-north-1": "eun1",
  "ap-southeast-1": "apse1", "ap-southeast-2": "apse2", "ap-northeast-1": "apne1", "ap-south-1": "aps1",
  "sa-east-1": "sae1", "ca-central-1": "cac1",
};

/** `use1-az4` for `us-east-1a`: EC2 maps zone names to stable zone ids per account. */
export function availabilityZoneId(region: string, zone: string): string {
  const suffix = zone.slice(region.length);
  const abbreviation = REGION_ABBREVIATIONS[region] ?? region.replaceAll("-", "").slice(0, 6);
  return `${abbreviation}-${AZ_IDS[suffix] ?? "az1"}`;
}


export function createIdSource(random: RandomSource): IdSource {
  return {
    hex(length) {
      return Array.from(random.bytes(length), (b) => (b % 16).toString(16)).join("");
    },
  };
}

export interface NewInstanceSpec {
  readonly accountId: string;
  readonly region: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly launchIndex: number;
  readonly reservationId: string;
  readonly launchTimeMs: number;
  readonly metadataOptions?: MetadataOptions;
  readonly tags?: readonly Tag[];
  readonly userData?: string | null;
  readonly roleName?: string | null;
  readonly keyName?: string | null;
  readonly availabilityZone?: string;
  /** `spot` for RunInstances InstanceMarketOptions.MarketType=spot; on-demand otherwise. */
  readonly lifecycle?: "on-demand" | "spot";
  /** A default subnet of the account and Region (checked by the launch); absent: the zone's default subnet. */
  readonly subnetId?: string;
  /** Ordinal of the instance in the estate, used to give each a distinct private address. */
  readonly ordinal: number;
}

/**
 * A realistic instance: private and public addresses, MAC, network ids, security group, key pair
 * and role, derived from the ids source so that no two instances share them.
 */
export function buildInstanceRecord(spec: NewInstanceSpec, ids: IdSource): InstanceRecord {
  const named = spec.subnetId === undefined ? undefined : findDefaultSubnet(spec.accountId, spec.region, spec.subnetId);
  const subnet = named ?? defaultSubnetForZone(spec.accountId, spec.region, spec.availabilityZone ?? `${spec.region}a`);
  if (subnet === undefined) throw new RangeError(`no default subnet for ${spec.availabilityZone ?? spec.subnetId} in ${spec.region}`);
  const zone = subnet.availabilityZone;
  const vpc = defaultVpc(spec.accountId, spec.region);
  const n = spec.ordinal;
  const privateIpv4 = subnetAddress(subnet, n);
  const publicIpv4 = `54.${160 + (Math.floor(n / 62500) % 60)}.${Math.floor(n / 250) % 250}.${(n % 250) + 4}`;
  // Eight hex digits drawn (two used) keeps every later id of a seeded source where it was.
  const macRandom = ids.hex(8);
  const roleName = spec.roleName === undefined ? null : spec.roleName;
  return {
    instanceId: `i-${ids.hex(17)}`,
    accountId: spec.accountId,
    region: spec.region,
    availabilityZone: zone,
    availabilityZoneId: availabilityZoneId(spec.region, zone),
    imageId: spec.imageId,
    instanceType: spec.instanceType,
    architecture: spec.instanceType.includes("g.") || spec.instanceType.startsWith("a1") ? "arm64" : "x86_64",
    launchIndex: spec.launchIndex,
    reservationId: spec.reservationId,
    launchTime: new Date(Math.floor(spec.launchTimeMs / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    lifecycle: spec.lifecycle ?? "on-demand",
    privateIpv4,
    publicIpv4,
    ipv6: null,
    mac: instanceMacAddress(n, [parseInt(macRandom.slice(0, 2), 16), parseInt(macRandom.slice(2, 4), 16)]),
    interfaceId: `eni-${ids.hex(17)}`,
    // Two ids are still drawn (and unused) so that every later id of a seeded source stays where it was.
    subnetId: ids.hex(17) && subnet.subnetId,
    subnetCidr: subnet.cidrBlock,
    vpcId: ids.hex(17) && vpc.vpcId,
    vpcCidr: vpc.cidrBlock,
    securityGroups: [{ groupId: `sg-${ids.hex(17)}`, groupName: "default" }],
    keyPair:
      spec.keyName === null || spec.keyName === undefined
        ? null
        : { keyName: spec.keyName, publicKey: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${ids.hex(43)} ${spec.keyName}` },
    iamRole:
      roleName === null
        ? null
        : {
            roleName,
            instanceProfileArn: `arn:aws:iam::${spec.accountId}:instance-profile/${roleName}`,
            instanceProfileId: `AIPA${ids.hex(17).toUpperCase()}`,
          },
    userData: spec.userData ?? null,
    tags: spec.tags ?? [],
    state: "running",
    metadataOptions: spec.metadataOptions ?? EC2_DEFAULT_OPTIONS,
    metadataOptionsState: "applied",
  };
}
