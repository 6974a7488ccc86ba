import type { Instance } from "../../domain/instance/instance.ts";
import { ownerAliasOf } from "../../domain/images/image-rules.ts";
import type { Application } from "../../app/application.ts";
import { defineAction } from "../action.ts";
import { compileFilters, getFilters, type FilterSchema } from "../filters.ts";
import { getInstanceIdsAndPage } from "../instance-id-params.ts";
import { paginate, type PageRequest } from "../pagination.ts";
import { renderInstanceState, renderTagSet } from "../render/instance-xml.ts";
import type { XmlObject } from "../xml.ts";

const ACTION = "DescribeInstanceImageMetadata";

interface DescribeInstanceImageMetadataInput {
  readonly instanceIds: readonly string[];
  readonly matches: (instance: Instance) => boolean;
  readonly page: PageRequest;
}

/** The filters of the API reference, all answerable from the instance record. */
const FILTERS: FilterSchema<Instance> = {
  fields: {
    "availability-zone": (i) => [i.record.availabilityZone],
    "instance-id": (i) => [i.record.instanceId],
    "instance-state-name": (i) => [i.record.state],
    "instance-type": (i) => [i.record.instanceType],
    "launch-time": (i) => [new Date(i.record.launchTime).toISOString()],
    "owner-id": (i) => [i.record.accountId],
    "tag-key": (i) => i.record.tags.map((t) => t.key),
    "zone-id": (i) => [i.record.availabilityZoneId],
  },
  tagValues: (i, key) => i.record.tags.filter((t) => t.key === key).map((t) => t.value),
};

/**
 * `ImageMetadata` of the AMI the instance was launched from, "even if the AMI is deprecated,
 * deregistered, made private" (API reference): an AMI no longer known shows only its id.
 */
function renderImageMetadata(imageId: string, services: Application): XmlObject {
  const image = services.catalogue.find(imageId);
  if (image === undefined) return { imageId };
  return {
    imageId,
    name: image.name,
    imageOwnerId: image.ownerId,
    imageState: image.state,
    imageOwnerAlias: ownerAliasOf(image),
    creationDate: image.creationDate,
    isPublic: image.isPublic,
  };
}

/**
 * DescribeInstanceImageMetadata (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceImageMetadata.html):
 * every instance of the caller's account and Region, in any state, with the AMI it came from.
 */
export const describeInstanceImageMetadataAction = defineAction<DescribeInstanceImageMetadataInput>({
  name: ACTION,
  parse(ctx, services) {
    const { instanceIds, page } = getInstanceIdsAndPage(ctx.params, ACTION);
    const matches = compileFilters(getFilters(ctx.params), FILTERS);
    if (instanceIds.length > 0) services.instances.find(ctx, instanceIds);
    return { instanceIds, matches, page };
  },
  execute({ instanceIds, matches, page }, ctx, services) {
    const all = instanceIds.length > 0 ? services.instances.find(ctx, instanceIds) : services.instances.inScope(ctx);
    const { items, nextToken } = paginate(all, matches, page, ACTION);
    return {
      instanceImageMetadataSet: items.map(({ record }) => ({
        instanceId: record.instanceId,
        instanceType: record.instanceType,
        launchTime: new Date(record.launchTime),
        availabilityZone: record.availabilityZone,
        zoneId: record.availabilityZoneId,
        instanceState: renderInstanceState(record.state),
        instanceOwnerId: record.accountId,
        tagSet: renderTagSet(record.tags),
        imageMetadata: renderImageMetadata(record.imageId, services),
      })),
      nextToken,
    };
  },
});
