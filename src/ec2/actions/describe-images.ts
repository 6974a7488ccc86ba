import { imageLocationOf, ownerAliasOf, assertImageId } from "../../domain/images/image-rules.ts";
import { parseOwners } from "../../domain/images/image-owners.ts";
import type { ImageRecord } from "../../domain/images/image.ts";
import type { DescribeImagesQuery } from "../../app/image-service.ts";
import { defineAction } from "../action.ts";
import { compileFilters, getFilters, type FilterField, type FilterSchema } from "../filters.ts";
import { getList } from "../query-params.ts";
import {
  HYPERVISOR_XEN,
  IMAGE_TYPE_MACHINE,
  PARAM_IMAGE_ID,
  PARAM_OWNER,
  renderImage,
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
    "virtualization-type": () => [VIRTUALIZATION_TYPE_HVM],
    "block-device-mapping.delete-on-termination": NOTHING,
    "block-device-mapping.device-name": NOTHING,
    "block-device-mapping.snapshot-id": NOTHING,
    "block-device-mapping.volume-size": NOTHING,
    "block-device-mapping.volume-type": NOTHING,
    "block-device-mapping.encrypted": NOTHING,
    "ena-support": NOTHING,
    "free-tier-eligible": NOTHING,
    "image-allowed": NOTHING,
    "kernel-id": NOTHING,
    platform: NOTHING,
    "product-code": NOTHING,
    "product-code.type": NOTHING,
    "ramdisk-id": NOTHING,
    "source-image-id": NOTHING,
    "source-image-region": NOTHING,
    "source-instance-id": NOTHING,
    "sriov-net-support": NOTHING,
    "state-reason-code": NOTHING,
    "state-reason-message": NOTHING,
  },
  tagValues: (image, key) => image.tags.filter((t) => t.key === key).map((t) => t.value),
};

/**
 * DescribeImages over the caller's Region: the built-in public AMIs, the account's own, and other
 * accounts' public or shared ones. `ExecutableBy.N` is accepted and ignored: every image listed is
 * launchable by the caller. `MaxResults`/`NextToken` are ignored too; the result is always one page.
 */
export const describeImagesAction = defineAction<DescribeImagesQuery>({
  name: "DescribeImages",
  parse({ params }) {
    return {
      imageIds: getList(params, PARAM_IMAGE_ID).map(assertImageId),
      owners: parseOwners(getList(params, PARAM_OWNER)),
      matchesFilters: compileFilters(getFilters(params), IMAGE_FILTERS),
    };
  },
  execute(query, ctx, services) {
    const images = services.images.describe(ctx, query);
    return { imagesSet: images.map(renderImage) };
  },
});
