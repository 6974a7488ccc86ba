/**
 * Wire names of the AMI actions (query keys as botocore's `ec2` serializer writes them from its
 * service model) and the one rendering of an image (`Image`, element names of the EC2 API reference) shared by
 * DescribeImages and anything else that lists AMIs.
 */
import { imageLocationOf, ownerAliasOf } from "../../domain/images/image-rules.ts";
import type { ImageRecord } from "../../domain/images/image.ts";
import type { XmlObject } from "../xml.ts";

export const PARAM_IMAGE_ID = "ImageId";
export const PARAM_OWNER = "Owner";
export const PARAM_EXECUTABLE_BY = "ExecutableBy";
export const PARAM_NAME = "Name";
export const PARAM_DESCRIPTION = "Description";
export const PARAM_ARCHITECTURE = "Architecture";
export const PARAM_ROOT_DEVICE_NAME = "RootDeviceName";
export const PARAM_IMAGE_LOCATION = "ImageLocation";
export const PARAM_IMDS_SUPPORT = "ImdsSupport";
export const PARAM_ATTRIBUTE = "Attribute";
export const PARAM_VALUE = "Value";
/** `Description.Value`, `ImdsSupport.Value`: ModifyImageAttribute's AttributeValue structures. */
export const MEMBER_ATTRIBUTE_VALUE = "Value";
export const PARAM_LAUNCH_PERMISSION_ADD = "LaunchPermission.Add";
export const PARAM_LAUNCH_PERMISSION_REMOVE = "LaunchPermission.Remove";
export const PARAM_OPERATION_TYPE = "OperationType";
/** `UserId.N` with Attribute=launchPermission, and the member of a `LaunchPermission.Add.N` structure. */
export const PARAM_USER_ID = "UserId";
export const MEMBER_GROUP = "Group";
export const PARAM_USER_GROUP = "UserGroup";
export const PARAM_ORGANIZATION_ARN = "OrganizationArn";
export const PARAM_ORGANIZATIONAL_UNIT_ARN = "OrganizationalUnitArn";
export const PARAM_PRODUCT_CODE = "ProductCode";
/** The only TagSpecification ResourceType RegisterImage accepts (EC2 API reference). */
export const RESOURCE_TYPE_IMAGE = "image";

/** Fixed facts of every emulated AMI: EBS-backed HVM machine images on Xen's API surface. */
export const IMAGE_TYPE_MACHINE = "machine";
export const ROOT_DEVICE_TYPE_EBS = "ebs";
export const VIRTUALIZATION_TYPE_HVM = "hvm";
export const HYPERVISOR_XEN = "xen";

/**
 * `imagesSet/item`. Element order follows real DescribeImages bodies (imageId ... hypervisor);
 * `imageOwnerAlias`, `description`, `imdsSupport` and `tagSet` are left out when the image has
 * none, as EC2 leaves them out (docs/behaviour.md#amis-and-account-defaults).
 */
export function renderImage(image: ImageRecord): XmlObject {
  return {
    imageId: image.imageId,
    imageLocation: imageLocationOf(image),
    imageState: image.state,
    imageOwnerId: image.ownerId,
    creationDate: image.creationDate,
    isPublic: image.isPublic,
    architecture: image.architecture,
    imageType: IMAGE_TYPE_MACHINE,
    imageOwnerAlias: ownerAliasOf(image),
    name: image.name,
    description: image.description === "" ? undefined : image.description,
    rootDeviceType: ROOT_DEVICE_TYPE_EBS,
    rootDeviceName: image.rootDeviceName,
    virtualizationType: image.boot?.virtualizationType ?? VIRTUALIZATION_TYPE_HVM,
    hypervisor: HYPERVISOR_XEN,
    kernelId: image.boot?.kernelId,
    ramdiskId: image.boot?.ramdiskId,
    sriovNetSupport: image.boot?.sriovNetSupport,
    bootMode: image.boot?.bootMode,
    tpmSupport: image.boot?.tpmSupport,
    imdsSupport: image.imdsSupport ?? undefined,
    tagSet: image.tags.length === 0 ? undefined : image.tags.map((t) => ({ key: t.key, value: t.value })),
    // Members real EC2 always returns for an EBS-backed Linux AMI (issue 12; docs/behaviour.md#image-members).
    blockDeviceMapping: [{ deviceName: image.rootDeviceName, ebs: rootVolume(image) }],
    enaSupport: image.boot?.enaSupport ?? true,
    platformDetails: PLATFORM_DETAILS_LINUX,
    usageOperation: USAGE_OPERATION_LINUX,
  };
}

const PLATFORM_DETAILS_LINUX = "Linux/UNIX";
const USAGE_OPERATION_LINUX = "RunInstances";
export const ROOT_VOLUME_GIB = 8;
export const ROOT_VOLUME_TYPE = "gp3";

/** The root volume's snapshot, named after the image (no snapshots are modelled). */
export function rootSnapshotId(image: Pick<ImageRecord, "imageId">): string {
  return `snap-${image.imageId.slice("ami-".length)}`;
}

function rootVolume(image: ImageRecord): XmlObject {
  return { deleteOnTermination: true, snapshotId: rootSnapshotId(image), volumeSize: ROOT_VOLUME_GIB, volumeType: ROOT_VOLUME_TYPE, encrypted: false };
}
