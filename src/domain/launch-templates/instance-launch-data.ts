import type { InstanceRecord } from "../instance/instance.ts";
import { isAwsReservedKey } from "../tags/tag-rules.ts";
import type { LaunchTemplateData } from "./launch-template.ts";

/**
 * What GetLaunchTemplateData answers for an instance: the parameters that would launch another
 * like it, as launch template data
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetLaunchTemplateData.html).
 * MetadataOptions are the instance's current options, every field set (a template made from the
 * answer launches with exactly these); `aws:` tags are EC2's own and are left out, as a launch
 * template may not carry them. See docs/behaviour.md#get-launch-template-data.
 */
export function launchTemplateDataOfInstance(record: InstanceRecord): LaunchTemplateData {
  const userTags = record.tags.filter((t) => !isAwsReservedKey(t.key));
  return {
    imageId: record.imageId,
    instanceType: record.instanceType,
    ...(record.keyPair === null ? {} : { keyName: record.keyPair.keyName }),
    ...(record.userData === null ? {} : { userData: record.userData }),
    ...(record.iamRole === null ? {} : { iamInstanceProfile: { arn: record.iamRole.instanceProfileArn } }),
    metadataOptions: { ...record.metadataOptions },
    ...(userTags.length === 0 ? {} : { tagSpecifications: [{ resourceType: "instance", tags: userTags }] }),
  };
}
