/**
 * The DescribeInstances filters the emulator answers (names from the EC2 API reference). Any
 * other name is refused as invalid rather than silently matching everything.
 */
import { privateDnsName, publicDnsName } from "../../domain/catalogue/instance-catalogue.ts";
import { INSTANCE_STATE_CODES } from "../../domain/instance/instance-state.ts";
import type { Instance } from "../../domain/instance/instance.ts";
import { metadataOptionsState } from "../../app/instance-service.ts";
import { METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../../domain/options/metadata-option-names.ts";
import type { FilterField, FilterSchema } from "../filters.ts";

/** `metadata-options.http-tokens` and the rest: one filter per option, named in the options' table. */
const METADATA_OPTION_FILTERS: Readonly<Record<string, FilterField<Instance>>> = Object.fromEntries(
  METADATA_OPTION_FIELDS.map((field) => [METADATA_OPTION_NAMES[field].filter, (d: Instance) => [d.record.metadataOptions[field]]]),
);

export function instanceFilterSchema(nowMs: number): FilterSchema<Instance> {
  return {
    fields: {
      "instance-id": (d) => [d.record.instanceId],
      "instance-state-name": (d) => [d.record.state],
      "instance-state-code": (d) => [INSTANCE_STATE_CODES[d.record.state]],
      "instance-type": (d) => [d.record.instanceType],
      "image-id": (d) => [d.record.imageId],
      "reservation-id": (d) => [d.record.reservationId],
      "availability-zone": (d) => [d.record.availabilityZone],
      "availability-zone-id": (d) => [d.record.availabilityZoneId],
      architecture: (d) => [d.record.architecture],
      "key-name": (d) => [d.record.keyPair?.keyName],
      "launch-index": (d) => [d.record.launchIndex],
      "owner-id": (d) => [d.record.accountId],
      "private-ip-address": (d) => [d.record.privateIpv4],
      "ip-address": (d) => [d.record.publicIpv4],
      "private-dns-name": (d) => [privateDnsName(d.record.privateIpv4, d.record.region)],
      "dns-name": (d) => [d.record.publicIpv4 === null ? null : publicDnsName(d.record.publicIpv4, d.record.region)],
      "subnet-id": (d) => [d.record.subnetId],
      "vpc-id": (d) => [d.record.vpcId],
      "iam-instance-profile.arn": (d) => [d.record.iamRole?.instanceProfileArn],
      "tag-key": (d) => d.record.tags.map((t) => t.key),
      "tag-value": (d) => d.record.tags.map((t) => t.value),
      ...METADATA_OPTION_FILTERS,
      // No option turns the IPv4 endpoint off; only HttpEndpoint disables the service as a whole.
      "metadata-options.http-protocol-ipv4": () => ["enabled"],
      "metadata-options.state": (d) => [metadataOptionsState(d, nowMs)],
    },
    tagValues: (d, key) => d.record.tags.filter((t) => t.key === key).map((t) => t.value),
  };
}
