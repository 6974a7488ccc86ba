/**
 * What an audit saw in one account, per Region: plain data, independent of the SDK that read it,
 * so findings and plans can be computed (and tested) without any endpoint.
 */
import type { EndpointState, HttpTokens } from "../options/metadata-options.ts";
import type { ImdsUsageEvidence } from "./usage-evidence.ts";

export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

/** GetInstanceMetadataDefaults: an absent field is "no preference". */
export interface AccountDefaultsSnapshot {
  readonly httpTokens?: HttpTokens;
  readonly httpPutResponseHopLimit?: number;
  readonly httpEndpoint?: EndpointState;
  readonly instanceMetadataTags?: EndpointState;
  readonly httpTokensEnforced?: "enabled" | "disabled";
  readonly managedBy?: string;
}

export interface ImageSnapshot {
  readonly imageId: string;
  readonly name: string;
  /** Only "v2.0" exists; absent means the AMI leaves the choice to the other levels. */
  readonly imdsSupport?: "v2.0";
  /** True for the account's own AMIs (DescribeImages Owners=self); others are only looked up. */
  readonly owned: boolean;
  readonly tags: readonly ResourceTag[];
}

/** A launch template version's MetadataOptions: only the fields the version sets. */
export interface TemplateMetadataOptions {
  readonly httpTokens?: HttpTokens;
  readonly httpPutResponseHopLimit?: number;
  readonly httpEndpoint?: EndpointState;
  readonly instanceMetadataTags?: EndpointState;
  readonly httpProtocolIpv6?: EndpointState;
}

export interface TemplateVersionSnapshot {
  readonly versionNumber: number;
  readonly isDefault: boolean;
  readonly isLatest: boolean;
  readonly imageId?: string;
  readonly metadataOptions: TemplateMetadataOptions;
}

export interface LaunchTemplateSnapshot {
  readonly templateId: string;
  readonly templateName: string;
  readonly defaultVersion: number;
  readonly latestVersion: number;
  /** The default and the latest version (one entry when they are the same). */
  readonly versions: readonly TemplateVersionSnapshot[];
  readonly tags: readonly ResourceTag[];
}

export interface InstanceSnapshot {
  readonly instanceId: string;
  readonly state: string;
  readonly imageId: string;
  readonly launchTemplateId?: string;
  readonly tags: readonly ResourceTag[];
  readonly metadataOptions: {
    readonly httpTokens: HttpTokens;
    readonly httpPutResponseHopLimit: number;
    readonly httpEndpoint: EndpointState;
    readonly instanceMetadataTags: EndpointState;
    readonly httpProtocolIpv6?: EndpointState;
  };
  /** IMDSv1 use over the audit's window, from CloudWatch; absent when it was not read. */
  readonly usage?: ImdsUsageEvidence;
}

/** A call that failed while the rest of the Region was read (e.g. AccessDenied on one API). */
export interface InventoryError {
  readonly call: string;
  readonly code: string;
  readonly message: string;
}

export interface RegionInventory {
  readonly region: string;
  /** Set when one audit read several accounts (audit --role-name). */
  readonly accountId?: string;
  /** Undefined when GetInstanceMetadataDefaults failed (see errors). */
  readonly accountDefaults?: AccountDefaultsSnapshot;
  readonly images: readonly ImageSnapshot[];
  readonly launchTemplates: readonly LaunchTemplateSnapshot[];
  readonly instances: readonly InstanceSnapshot[];
  readonly errors: readonly InventoryError[];
}

export interface Inventory {
  readonly generatedAt: string;
  /** The EC2 endpoint read, or undefined for AWS's own. */
  readonly endpoint?: string;
  readonly accountId?: string;
  /** The accounts of a multi-account audit, each Region tagged with its own. */
  readonly accounts?: readonly string[];
  readonly regions: readonly RegionInventory[];
}

export function tagValue(tags: readonly ResourceTag[], key: string): string | undefined {
  return tags.find((t) => t.key === key)?.value;
}
