/**
 * The one rendering of an instance for the EC2 Query API (`RunInstances` instancesSet,
 * `DescribeInstances` reservationSet): element names are the EC2 API reference's, in the order
 * real EC2 writes them. Clients parse by name, so order only matters for the golden files.
 */
import { privateDnsName, publicDnsName } from "../../domain/catalogue/instance-catalogue.ts";
import { INSTANCE_STATE_CODES } from "../../domain/instance/instance-state.ts";
import type { InstanceRecord, InstanceStateName, Tag } from "../../domain/instance/instance.ts";
import { METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../../domain/options/metadata-option-names.ts";
import type { MetadataOptions, OptionsState } from "../../domain/options/metadata-options.ts";
import { cpuOptionsOf } from "../../domain/instance-types/cpu-options.ts";
import type { XmlObject, XmlValue } from "../xml.ts";
import { renderNetworkInterfaces } from "./network-interface-xml.ts";

export interface InstanceView {
  readonly record: InstanceRecord;
  /** What to report as `instanceState`: RunInstances answers `pending` for a new instance. */
  readonly state: InstanceStateName;
  readonly optionsState: OptionsState;
}

export function renderInstanceState(state: InstanceStateName): XmlObject {
  return { code: INSTANCE_STATE_CODES[state], name: state };
}

/** `InstanceMetadataOptionsResponse`: always the full set of options. */
export function renderMetadataOptions(options: MetadataOptions, state: OptionsState): XmlObject {
  const out: Record<string, XmlValue> = { state };
  for (const field of METADATA_OPTION_FIELDS) out[METADATA_OPTION_NAMES[field].xml] = options[field];
  return out;
}

/** `tagSet` is left out when there are no tags, as EC2 leaves it out. */
export function renderTagSet(tags: readonly Tag[]): XmlObject[] | undefined {
  return tags.length === 0 ? undefined : tags.map((t) => ({ key: t.key, value: t.value }));
}

/** `InstanceStateChange` of Start/Stop/TerminateInstances. */
export function renderStateChange(instanceId: string, current: InstanceStateName, previous: InstanceStateName): XmlObject {
  return { instanceId, currentState: renderInstanceState(current), previousState: renderInstanceState(previous) };
}

/** A stopped instance releases its public address; a terminated one its private address too. */
function addresses(record: InstanceRecord, state: InstanceStateName) {
  const hasPrivate = state !== "terminated";
  const hasPublic = hasPrivate && state !== "stopped" && state !== "stopping" && record.publicIpv4 !== null;
  return {
    privateDnsName: hasPrivate ? privateDnsName(record.privateIpv4, record.region) : "",
    dnsName: hasPublic ? publicDnsName(record.publicIpv4!, record.region) : "",
    privateIpAddress: hasPrivate ? record.privateIpv4 : undefined,
    ipAddress: hasPublic ? record.publicIpv4! : undefined,
  };
}

/** EC2's stateReason for instances stopped or terminated through the API. */
function stateReason(state: InstanceStateName): XmlObject | undefined {
  if (state === "pending" || state === "running") return undefined;
  return { code: "Client.UserInitiatedShutdown", message: "Client.UserInitiatedShutdown: User initiated shutdown" };
}

export function renderInstance({ record, state, optionsState }: InstanceView): XmlObject {
  const address = addresses(record, state);
  return {
    instanceId: record.instanceId,
    imageId: record.imageId,
    instanceState: renderInstanceState(state),
    privateDnsName: address.privateDnsName,
    dnsName: address.dnsName,
    reason: "",
    keyName: record.keyPair?.keyName,
    amiLaunchIndex: record.launchIndex,
    productCodes: [],
    instanceType: record.instanceType,
    launchTime: new Date(record.launchTime),
    placement: {
      availabilityZone: record.availabilityZone,
      availabilityZoneId: record.availabilityZoneId,
      groupName: "",
      tenancy: "default",
    },
    monitoring: { state: "disabled" },
    subnetId: record.subnetId,
    vpcId: record.vpcId,
    privateIpAddress: address.privateIpAddress,
    ipAddress: address.ipAddress,
    sourceDestCheck: true,
    groupSet: record.securityGroups.map((g) => ({ groupId: g.groupId, groupName: g.groupName })),
    stateReason: stateReason(state),
    architecture: record.architecture,
    rootDeviceType: "ebs",
    rootDeviceName: "/dev/xvda",
    blockDeviceMapping: [],
    // EC2 names the lifecycle only for Spot and Scheduled Instances (API reference, Instance).
    instanceLifecycle: record.lifecycle === "spot" ? "spot" : undefined,
    virtualizationType: "hvm",
    clientToken: "",
    tagSet: renderTagSet(record.tags),
    hypervisor: "xen",
    iamInstanceProfile:
      record.iamRole === null ? undefined : { arn: record.iamRole.instanceProfileArn, id: record.iamRole.instanceProfileId },
    ebsOptimized: false,
    enaSupport: true,
    metadataOptions: renderMetadataOptions(record.metadataOptions, optionsState),
    platformDetails: "Linux/UNIX",
    usageOperation: "RunInstances",
    // Members real EC2 always returns (issue 12); values are EC2's defaults (docs/behaviour.md#instance-members).
    networkInterfaceSet: renderNetworkInterfaces(record, state),
    cpuOptions: { ...cpuOptionsOf(record.instanceType, record.architecture) },
    capacityReservationSpecification: { capacityReservationPreference: "open" },
    hibernationOptions: { configured: false },
    enclaveOptions: { enabled: false },
    maintenanceOptions: { autoRecovery: "default", rebootMigration: "default" },
    privateDnsNameOptions: { hostnameType: "ip-name", enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    currentInstanceBootMode: record.architecture === "arm64" ? "uefi" : "legacy-bios",
  };
}

/** One `Reservation`: EC2-VPC reservations carry an empty groupSet (groups are per instance). */
export function renderReservation(reservationId: string, ownerId: string, instances: readonly InstanceView[]): XmlObject {
  return { reservationId, ownerId, groupSet: [], instancesSet: instances.map(renderInstance) };
}
