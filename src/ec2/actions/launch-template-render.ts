/**
 * Launch templates on the wire: element names are the EC2 API reference's (`launchTemplate`,
 * `launchTemplateVersionSet`, `tagSpecificationSet`, ...), members in its order, and
 * absent members left out, as EC2 leaves them out.
 */
import type { Tag } from "../../domain/instance/instance.ts";
import type { LaunchTemplateData, LaunchTemplateRecord, LaunchTemplateVersion } from "../../domain/launch-templates/launch-template.ts";
import type { XmlObject } from "../xml.ts";

function renderTags(tags: readonly Tag[]): XmlObject[] | undefined {
  return tags.length === 0 ? undefined : tags.map((tag) => ({ key: tag.key, value: tag.value }));
}

/** `LaunchTemplate` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplate.html). */
export function renderLaunchTemplate(record: LaunchTemplateRecord): XmlObject {
  return {
    launchTemplateId: record.templateId,
    launchTemplateName: record.templateName,
    createTime: record.createTime,
    createdBy: record.createdBy,
    defaultVersionNumber: record.defaultVersionNumber,
    latestVersionNumber: record.latestVersionNumber,
    tagSet: renderTags(record.tags),
  };
}

/**
 * `ResponseLaunchTemplateData` (EC2 API reference): exactly the members the version stores.
 * `metadataOptions` carries no `state`: the reference gives LaunchTemplateInstanceMetadataOptions
 * one, but what EC2 puts there for a template is not documented (docs/behaviour.md#launch-templates),
 * and a template has nothing pending or applied,
 * so echoing only what was given keeps a read-back equal to what was written.
 */
export function renderLaunchTemplateData(data: LaunchTemplateData): XmlObject {
  const options = data.metadataOptions;
  return {
    iamInstanceProfile: data.iamInstanceProfile && { arn: data.iamInstanceProfile.arn, name: data.iamInstanceProfile.name },
    imageId: data.imageId,
    instanceType: data.instanceType,
    keyName: data.keyName,
    userData: data.userData,
    tagSpecificationSet: data.tagSpecifications?.map((spec) => ({ resourceType: spec.resourceType, tagSet: spec.tags.map((t) => ({ key: t.key, value: t.value })) })),
    metadataOptions: options && {
      httpTokens: options.httpTokens,
      httpPutResponseHopLimit: options.httpPutResponseHopLimit,
      httpEndpoint: options.httpEndpoint,
      httpProtocolIpv6: options.httpProtocolIpv6,
      instanceMetadataTags: options.instanceMetadataTags,
    },
  };
}

/** `LaunchTemplateVersion` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplateVersion.html). */
export function renderLaunchTemplateVersion(record: LaunchTemplateRecord, version: LaunchTemplateVersion): XmlObject {
  return {
    launchTemplateId: record.templateId,
    launchTemplateName: record.templateName,
    versionNumber: version.versionNumber,
    versionDescription: version.versionDescription,
    createTime: version.createTime,
    createdBy: record.createdBy,
    defaultVersion: version.versionNumber === record.defaultVersionNumber,
    launchTemplateData: renderLaunchTemplateData(version.data),
  };
}
