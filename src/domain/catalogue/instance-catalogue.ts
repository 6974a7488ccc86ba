import type { InstanceRecord } from "../instance/instance.ts";
import { isTagKeyAllowedInMetadata } from "../tags/metadata-tag-keys.ts";
import { hypervisorSystem } from "./hypervisor.ts";
import { formatEc2Json } from "./json-text.ts";
import { dir, leaf, type MetadataDirectory, type MetadataNode } from "./tree.ts";

/** Notices EC2 posts for an instance (spot, rebalance, maintenance, Auto Scaling). */
export interface InstanceNotices {
  readonly spotInstanceAction?: { readonly action: "hibernate" | "stop" | "terminate"; readonly time: string };
  readonly rebalanceNoticeTime?: string;
  readonly scheduledMaintenance?: readonly Record<string, string>[];
  readonly maintenanceHistory?: readonly Record<string, string>[];
  readonly targetLifecycleState?: string;
}

export const IDENTITY_CREDENTIALS_ROLE = "ec2-instance";

export function partitionOf(region: string): { partition: string; domain: string } {
  if (region.startsWith("cn-")) return { partition: "aws-cn", domain: "amazonaws.com.cn" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", domain: "amazonaws.com" };
  return { partition: "aws", domain: "amazonaws.com" };
}

/** EC2's IP-based private DNS name: `ip-10-0-1-23.ec2.internal` in us-east-1. */
export function privateDnsName(ipv4: string, region: string): string {
  const host = `ip-${ipv4.replaceAll(".", "-")}`;
  return region === "us-east-1" ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}

export function publicDnsName(ipv4: string, region: string): string {
  const host = `ec2-${ipv4.replaceAll(".", "-")}`;
  return region === "us-east-1" ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** The identity document, in EC2's field order and formatting; unset values are null. */
export function buildIdentityDocument(instance: InstanceRecord): string {
  return formatEc2Json({
    accountId: instance.accountId,
    architecture: instance.architecture,
    availabilityZone: instance.availabilityZone,
    billingProducts: null,
    devpayProductCodes: null,
    marketplaceProductCodes: null,
    imageId: instance.imageId,
    instanceId: instance.instanceId,
    instanceType: instance.instanceType,
    kernelId: null,
    pendingTime: instance.launchTime,
    privateIp: instance.privateIpv4,
    ramdiskId: null,
    region: instance.region,
    version: "2017-09-30",
  });
}

/** The whole tree one instance serves under a version root (`/latest/`, `/2021-03-23/`, ...). */
export function buildInstanceCatalogue(instance: InstanceRecord, notices: InstanceNotices = {}): MetadataDirectory {
  return dir(
    "1.0",
    [
      ["dynamic", buildDynamic(instance)],
      ["meta-data", buildMetaData(instance, notices)],
      ["user-data", instance.userData === null ? null : leaf("1.0", Buffer.from(instance.userData, "base64").toString("latin1"), true)],
    ],
    { plainListing: true },
  );
}

function buildDynamic(instance: InstanceRecord): MetadataDirectory {
  return dir("2009-04-04", {
    fws: dir("2009-04-04", { "instance-monitoring": leaf("2009-04-04", "disabled") }),
    "instance-identity": dir("2009-04-04", [
      ["rsa2048", leaf("2009-04-04", { dynamic: "identity-rsa2048" })],
      ["pkcs7", leaf("2009-04-04", { dynamic: "identity-pkcs7" })],
      ["document", leaf("2009-04-04", buildIdentityDocument(instance))],
      ["signature", leaf("2009-04-04", { dynamic: "identity-signature" })],
    ]),
  });
}

function buildMetaData(i: InstanceRecord, notices: InstanceNotices): MetadataDirectory {
  const { partition, domain } = partitionOf(i.region);
  const localHostname = privateDnsName(i.privateIpv4, i.region);
  const publicHostname = i.publicIpv4 === null ? null : publicDnsName(i.publicIpv4, i.region);
  const tagsEnabled = i.metadataOptions.instanceMetadataTags === "enabled";
  const entries: Array<readonly [string, MetadataNode | null]> = [
    ["ami-id", leaf("1.0", i.imageId)],
    ["ami-launch-index", leaf("1.0", String(i.launchIndex))],
    ["ami-manifest-path", leaf("1.0", "(unknown)")],
    ["autoscaling", notices.targetLifecycleState === undefined ? null
      : dir("2021-07-15", { "target-lifecycle-state": leaf("2021-07-15", notices.targetLifecycleState) })],
    ["block-device-mapping", dir("2007-12-15", { ami: leaf("2007-12-15", "/dev/xvda"), root: leaf("2007-12-15", "/dev/xvda") })],
    ["events", buildEvents(notices)],
    ["hostname", leaf("1.0", localHostname)],
    ["iam", i.iamRole === null ? null : dir("2012-01-12", {
      info: leaf("2012-01-12", formatEc2Json({
        Code: "Success",
        LastUpdated: i.launchTime,
        InstanceProfileArn: i.iamRole.instanceProfileArn,
        InstanceProfileId: i.iamRole.instanceProfileId,
      })),
      "security-credentials": dir("2012-01-12", { [i.iamRole.roleName]: leaf("2012-01-12", { dynamic: "role-credentials" }) }),
    })],
    ["identity-credentials", dir("2018-05-23", {
      ec2: dir("2018-05-23", {
        info: leaf("2018-05-23", formatEc2Json({ Code: "Success", LastUpdated: i.launchTime, AccountId: i.accountId })),
        "security-credentials": dir("2018-05-23", { [IDENTITY_CREDENTIALS_ROLE]: leaf("2018-05-23", { dynamic: "identity-credentials" }) }),
      }),
    })],
    ["instance-action", leaf("2008-09-01", "none")],
    ["instance-id", leaf("1.0", i.instanceId)],
    ["instance-life-cycle", leaf("2019-10-01", i.lifecycle)],
    ["instance-type", leaf("2007-08-29", i.instanceType)],
    ["ipv6", i.ipv6 === null ? null : leaf("2021-01-03", i.ipv6)],
    ["local-hostname", leaf("2007-01-19", localHostname)],
    ["local-ipv4", leaf("1.0", i.privateIpv4)],
    ["mac", leaf("2011-01-01", i.mac)],
    ["metrics", dir("2011-05-01", { vhostmd: leaf("2011-05-01", '<?xml version="1.0" encoding="UTF-8"?>') })],
    ["network", buildNetwork(i, localHostname, publicHostname)],
    ["placement", dir("2008-02-01", [
      ["availability-zone", leaf("2008-02-01", i.availabilityZone)],
      ["availability-zone-id", leaf("2019-10-01", i.availabilityZoneId)],
      ["region", leaf("2020-08-24", i.region)],
    ])],
    ["profile", leaf("2007-10-10", "default-hvm")],
    ["public-hostname", publicHostname === null ? null : leaf("2007-01-19", publicHostname)],
    ["public-ipv4", i.publicIpv4 === null ? null : leaf("2007-01-19", i.publicIpv4)],
    ["public-keys", i.keyPair === null ? null : dir("1.0", {
      "0": dir("1.0", { "openssh-key": leaf("1.0", i.keyPair.publicKey) }, { label: `0=${i.keyPair.keyName}` }),
    })],
    ["reservation-id", leaf("1.0", i.reservationId)],
    ["security-groups", leaf("1.0", i.securityGroups.map((g) => g.groupName).join("\n"))],
    ["services", dir("2014-02-25", [
      ["domain", leaf("2014-02-25", domain)],
      ["partition", leaf("2015-10-20", partition)],
    ])],
    ["spot", buildSpot(notices)],
    ["system", leaf("2022-09-24", hypervisorSystem(i.instanceType))],
    ["tags", tagsEnabled ? buildTags(i) : null],
  ];
  return dir("1.0", entries);
}

function buildEvents(notices: InstanceNotices): MetadataDirectory {
  return dir("2018-08-17", {
    maintenance: dir("2018-08-17", {
      history: leaf("2018-08-17", JSON.stringify(notices.maintenanceHistory ?? [])),
      scheduled: leaf("2018-08-17", JSON.stringify(notices.scheduledMaintenance ?? [])),
    }),
    recommendations: dir("2020-10-27", {
      rebalance: notices.rebalanceNoticeTime === undefined ? null
        : leaf("2020-10-27", JSON.stringify({ noticeTime: notices.rebalanceNoticeTime })),
    }),
  });
}

function buildSpot(notices: InstanceNotices): MetadataDirectory | null {
  const action = notices.spotInstanceAction;
  if (action === undefined) return null;
  return dir("2014-11-05", [
    ["instance-action", leaf("2016-11-15", JSON.stringify({ action: action.action, time: action.time }))],
    ["termination-time", action.action === "terminate" ? leaf("2014-11-05", action.time) : null],
  ]);
}

function buildTags(i: InstanceRecord): MetadataDirectory {
  const entries: Array<readonly [string, MetadataNode]> = [];
  for (const tag of i.tags) {
    if (isTagKeyAllowedInMetadata(tag.key)) entries.push([tag.key, leaf("2021-03-23", tag.value)]);
  }
  return dir("2021-03-23", { instance: dir("2021-03-23", entries, { allowEmpty: true }) });
}

function buildNetwork(i: InstanceRecord, localHostname: string, publicHostname: string | null): MetadataDirectory {
  const mac = dir("2011-01-01", [
    ["device-number", leaf("2011-01-01", "0")],
    ["interface-id", leaf("2011-01-01", i.interfaceId)],
    ["ipv4-associations", i.publicIpv4 === null ? null
      : dir("2011-01-01", { [i.publicIpv4]: leaf("2011-01-01", i.privateIpv4) })],
    ["ipv6s", i.ipv6 === null ? null : leaf("2016-06-30", i.ipv6)],
    ["local-hostname", leaf("2011-01-01", localHostname)],
    ["local-ipv4s", leaf("2011-01-01", i.privateIpv4)],
    ["mac", leaf("2011-01-01", i.mac)],
    ["network-card", leaf("2020-11-01", "0")],
    ["owner-id", leaf("2011-01-01", i.accountId)],
    ["public-hostname", publicHostname === null ? null : leaf("2011-01-01", publicHostname)],
    ["public-ipv4s", i.publicIpv4 === null ? null : leaf("2011-01-01", i.publicIpv4)],
    ["security-group-ids", leaf("2011-01-01", i.securityGroups.map((g) => g.groupId).join("\n"))],
    ["security-groups", leaf("2011-01-01", i.securityGroups.map((g) => g.groupName).join("\n"))],
    ["subnet-id", leaf("2011-01-01", i.subnetId)],
    ["subnet-ipv4-cidr-block", leaf("2011-01-01", i.subnetCidr)],
    ["vpc-id", leaf("2011-01-01", i.vpcId)],
    ["vpc-ipv4-cidr-block", leaf("2011-01-01", i.vpcCidr)],
    ["vpc-ipv4-cidr-blocks", leaf("2016-06-30", i.vpcCidr)],
  ]);
  return dir("2011-01-01", { interfaces: dir("2011-01-01", { macs: dir("2011-01-01", { [i.mac]: mac }) }) });
}
