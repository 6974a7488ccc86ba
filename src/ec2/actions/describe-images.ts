import { imageLocationOf, ownerAliasOf, assertImageId } from "../../domain/images/image-rules.ts";
import { parseOwners } from "../../domain/images/image-owners.ts";
import type { ImageRecord } from "../../domain/images/image.ts";
import type { DescribeImagesQuery } from "../../app/image-service.ts";
import { defineAction } from "../action.ts";
import { compileFilters, getFilters, type FilterField, type FilterSchema } from "../filters.ts";
import { getPageRequest, paginate, type PageRequest } from "../pagination.ts";
import { getList } from "../query-params.ts";
import {
  HYPERVISOR_XEN,
  IMAGE_TYPE_MACHINE,
  PARAM_IMAGE_ID,
  PARAM_OWNER,
  renderImage,
  rootSnapshotId,
  ROOT_VOLUME_GIB,
  ROOT_VOLUME_TYPE,
  ROOT_DEVICE_TYPE_EBS,
  VIRTUALIZATION_TYPE_HVM,
} from "./image-wire.ts";

const NOTHING: FilterField<ImageRecord> = () => [];

/**
 * Every filter name the EC2 API reference documents for DescribeImages. The ones backed by nothing the
 * emulator keeps (block devices, product codes, kernels, ...) are accepted and match no image, so
 * a documented filter never fails here as "invalid" when it would not on EC2. There is no
 * imds-support filter in the reference, so none here either.
 */
const IMAGE_FILTERS: FilterSchema<ImageRecord> = {
  fields: {
    architecture: (i) => [i.architecture],
    "creation-date": (i) => [i.creationDate],
    description: (i) => (i.description === "" ? [] : [i.description]),
    hypervisor: () => [HYPERVISOR_XEN],
    "image-id": (i) => [i.imageId],
    "image-type": () => [IMAGE_TYPE_MACHINE],
    "is-public": (i) => [String(i.isPublic)],
    "manifest-location": (i) => [imageLocationOf(i)],
    name: (i) => [i.name],
    "owner-alias": (i) => [ownerAliasOf(i)],
    "owner-id": (i) => [i.ownerId],
    "root-device-name": (i) => [i.rootDeviceName],
    "root-device-type": () => [ROOT_DEVICE_TYPE_EBS],
    state: (i) => [i.state],
    "tag-key": (i) => i.tags.map((t) => t.key),
    "virtualization-type": (i) => [i.boot?.virtualizationType ?? VIRTUALIZATION_TYPE_HVM],
    // The root volume every image shows (docs/behaviour.md#image-members).
    "block-device-mapping.delete-on-termination": () => ["true"],
    "block-device-mapping.device-name": (i) => [i.rootDeviceName],
    "block-device-mapping.snapshot-id": (i) => [rootSnapshotId(i)],
    "block-device-mapping.volume-size": () => [ROOT_VOLUME_GIB],
    "block-device-mapping.volume-type": () => [ROOT_VOLUME_TYPE],
    "block-device-mapping.encrypted": () => ["false"],
    "ena-support": (i) => [String(i.boot?.enaSupport ?? true)],
    "free-tier-eligible": NOTHING,
    "image-allowed": NOTHING,
    "kernel-id": (i) => [i.boot?.kernelId],
    platform: NOTHING,
    "product-code": NOTHING,
    "product-code.type": NOTHING,
    "ramdisk-id": (i) => [i.boot?.ramdiskId],
    "source-image-id": NOTHING,
    "source-image-region": NOTHING,
    "source-instance-id": NOTHING,
    "sriov-net-support": (i) => [i.boot?.sriovNetSupport],
    "state-reason-code": NOTHING,
    "state-reason-message": NOTHING,
  },
  tagValues: (image, key) => image.tags.filter((t) => t.key === key).map((t) => t.value),
};

/**
 * DescribeImages over the caller's Region: the built-in public AMIs, the account's own, and other
 * accounts' public or shared ones. `ExecutableBy.N` is accepted and ignored: every image listed is
 * launchable by the caller. `MaxResults`/`NextToken` page through the images in a stable order.
 */
export const describeImagesAction = defineAction<DescribeImagesQuery & { readonly page: PageRequest }>({
  name: "DescribeImages",
  parse({ params }) {
    return {
      imageIds: getList(params, PARAM_IMAGE_ID).map(assertImageId),
      owners: parseOwners(getList(params, PARAM_OWNER)),
      matchesFilters: compileFilters(getFilters(params), IMAGE_FILTERS),
      page: getPageRequest(params, "DescribeImages"),
    };
  },
  execute(query, ctx, services) {
    const images = services.images.describe(ctx, query);
    const { items, nextToken } = paginate(images, () => true, query.page, "DescribeImages");
    return { imagesSet: items.map(renderImage), nextToken };
  },
});
