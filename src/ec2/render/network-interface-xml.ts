/**
 * The instance's primary network interface as DescribeInstances writes it (`networkInterfaceSet`,
 * botocore's InstanceNetworkInterface): one ENI in the instance's subnet, device index 0, its
 * MAC, private and public address. A terminated instance has none left.
 */
import { privateDnsName, publicDnsName } from "../../domain/catalogue/instance-catalogue.ts";
import type { InstanceRecord, InstanceStateName } from "../../domain/instance/instance.ts";
import type { XmlObject } from "../xml.ts";

const AMAZON_IP_OWNER = "amazon";

export function renderNetworkInterfaces(record: InstanceRecord, state: InstanceStateName): XmlObject[] {
  if (state === "terminated") return [];
  const hasPublic = state !== "stopped" && state !== "stopping" && record.publicIpv4 !== null;
  const association = hasPublic
    ? { publicIp: record.publicIpv4!, publicDnsName: publicDnsName(record.publicIpv4!, record.region), ipOwnerId: AMAZON_IP_OWNER }
    : undefined;
  const privateName = privateDnsName(record.privateIpv4, record.region);
  return [
    {
      association,
      attachment: {
        attachTime: new Date(record.launchTime),
        attachmentId: `eni-attach-${record.interfaceId.slice("eni-".length)}`,
        deleteOnTermination: true,
        deviceIndex: 0,
        status: "attached",
        networkCardIndex: 0,
      },
      description: "",
      groupSet: record.securityGroups.map((g) => ({ groupId: g.groupId, groupName: g.groupName })),
      ipv6AddressesSet: record.ipv6 === null ? [] : [{ ipv6Address: record.ipv6 }],
      macAddress: record.mac,
      networkInterfaceId: record.interfaceId,
      ownerId: record.accountId,
      privateDnsName: privateName,
      privateIpAddress: record.privateIpv4,
      privateIpAddressesSet: [{ association, primary: true, privateDnsName: privateName, privateIpAddress: record.privateIpv4 }],
      sourceDestCheck: true,
      status: "in-use",
      subnetId: record.subnetId,
      vpcId: record.vpcId,
      interfaceType: "interface",
    },
  ];
}
