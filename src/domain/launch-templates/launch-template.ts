import type { MetadataOptionsInput } from "../options/metadata-options.ts";
import type { Tag } from "../instance/instance.ts";

/** What a launch template version stores: only what was given (fields left out stay absent). */
export interface LaunchTemplateData {
  readonly imageId?: string;
  readonly instanceType?: string;
  readonly keyName?: string;
  readonly userData?: string;
  readonly iamInstanceProfile?: { readonly name?: string; readonly arn?: string };
  readonly metadataOptions?: MetadataOptionsInput;
  readonly tagSpecifications?: readonly { readonly resourceType: string; readonly tags: readonly Tag[] }[];
}

export interface LaunchTemplateVersion {
  readonly versionNumber: number;
  readonly versionDescription?: string;
  readonly createTime: string;
  readonly data: LaunchTemplateData;
}

export interface LaunchTemplateRecord {
  readonly templateId: string;
  readonly templateName: string;
  readonly accountId: string;
  readonly region: string;
  readonly createTime: string;
  readonly createdBy: string;
  readonly defaultVersionNumber: number;
  /** The highest version number that still exists (what `$Latest` names). */
  readonly latestVersionNumber: number;
  readonly versions: readonly LaunchTemplateVersion[];
  readonly tags: readonly Tag[];
  /**
   * The highest version number ever issued. EC2 numbers versions "in the order in which they are
   * created" and keeps counting after versions are deleted, so a deleted number is never reused.
   * Absent on records that never lost a version: then it equals latestVersionNumber.
   */
  readonly issuedVersionNumber?: number;
}
