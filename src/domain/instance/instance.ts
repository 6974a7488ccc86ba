import type { MetadataOptions, OptionsState } from "../options/metadata-options.ts";
import type { EndpointAddress } from "./endpoint.ts";
import type { OptionSources } from "./option-source.ts";

export const INSTANCE_STATES = ["pending", "running", "stopping", "stopped", "shutting-down", "terminated"] as const;
export type InstanceStateName = (typeof INSTANCE_STATES)[number];

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface IamRoleAttachment {
  readonly roleName: string;
  readonly instanceProfileArn: string;
  readonly instanceProfileId: string;
}

export interface SecurityGroupRef {
  readonly groupId: string;
  readonly groupName: string;
}

export interface KeyPairRef {
  readonly keyName: string;
  readonly publicKey: string;
}

/**
 * Everything the data plane and the configuration plane know about one instance. Plain data:
 * stored as is, built by the launch service, read by the metadata catalogue.
 */
export interface InstanceRecord {
  readonly instanceId: string;
  readonly accountId: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly availabilityZoneId: string;
  readonly imageId: string;
  readonly instanceType: string;
  readonly architecture: string;
  readonly launchIndex: number;
  readonly reservationId: string;
  readonly launchTime: string;
  readonly lifecycle: "on-demand" | "spot";
  readonly privateIpv4: string;
  readonly publicIpv4: string | null;
  readonly ipv6: string | null;
  readonly mac: string;
  readonly interfaceId: string;
  readonly subnetId: string;
  readonly subnetCidr: string;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly securityGroups: readonly SecurityGroupRef[];
  readonly keyPair: KeyPairRef | null;
  readonly iamRole: IamRoleAttachment | null;
  /** Raw user data bytes, base64-encoded as RunInstances carries them; null when none. */
  readonly userData: string | null;
  readonly tags: readonly Tag[];
  readonly state: InstanceStateName;
  readonly metadataOptions: MetadataOptions;
  readonly metadataOptionsState: OptionsState;
}

/**
 * The instance aggregate: its record, the endpoint meant to serve its metadata, where each
 * metadata option came from, and until when a change is reported as `pending`. Stored as typed;
 * every layer above the domain passes this type, never a stored row.
 */
export interface Instance {
  readonly record: InstanceRecord;
  readonly endpoint: EndpointAddress;
  readonly optionSources: OptionSources;
  /** Until this instant DescribeInstances reports the metadata options as `pending`. */
  readonly optionsPendingUntilMs?: number;
}
