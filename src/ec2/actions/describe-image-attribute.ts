import { DomainError } from "../../domain/errors.ts";
import { GROUP_ALL, parseImageAttributeName, type ImageAttributeName } from "../../domain/images/image-attributes.ts";
import { ImageErrorCode, missingParameter } from "../../domain/images/image-errors.ts";
import { assertImageId } from "../../domain/images/image-rules.ts";
import type { ImageRecord } from "../../domain/images/image.ts";
import { defineAction } from "../action.ts";
import { getString } from "../query-params.ts";
import type { XmlObject, XmlValue } from "../xml.ts";
import { PARAM_ATTRIBUTE, PARAM_IMAGE_ID } from "./image-wire.ts";

interface DescribeImageAttributeInput {
  readonly imageId: string;
  readonly attribute: ImageAttributeName;
}

/** An `AttributeValue`: `<x><value>v</value></x>`, or the empty `<x/>` when the AMI has none. */
function attributeValue(value: string | null | undefined): XmlObject {
  return value === null || value === undefined || value === "" ? {} : { value };
}

/** blockDeviceMapping: "Using this attribute returns the Client.AuthFailure error" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImageAttribute.html). */
const BLOCK_DEVICE_MAPPING_REFUSED = "Unauthorized attempt to access restricted resource";
/** No AMI here has deregistration protection; EC2 reports the attribute as `disabled` (docs/behaviour.md#amis-and-account-defaults). */
const DEREGISTRATION_PROTECTION_OFF = "disabled";

/**
 * Element name (the API reference's element name, which equals the attribute name) and content. An AMI
 * without ImdsSupport answers `<imdsSupport/>`, the empty AttributeValue EC2 gives for an unset
 * attribute such as `kernel` on an HVM AMI; SDKs read it as `ImdsSupport: {}`
 * (docs/behaviour.md#amis-and-account-defaults).
 */
function renderAttribute(image: ImageRecord, attribute: ImageAttributeName): XmlValue {
  switch (attribute) {
    case "description":
      return attributeValue(image.description);
    case "imdsSupport":
      return attributeValue(image.imdsSupport);
    case "launchPermission":
      return [
        ...(image.isPublic ? [{ group: GROUP_ALL }] : []),
        ...(image.launchPermissionUserIds ?? []).map((userId) => ({ userId })),
      ];
    case "productCodes":
      return [];
    case "deregistrationProtection":
      return attributeValue(DEREGISTRATION_PROTECTION_OFF);
    case "blockDeviceMapping":
      throw new DomainError(ImageErrorCode.AuthFailure, BLOCK_DEVICE_MAPPING_REFUSED);
    case "kernel":
    case "ramdisk":
    case "sriovNetSupport":
    case "bootMode":
    case "tpmSupport":
    case "uefiData":
    case "lastLaunchedTime":
      return attributeValue(undefined);
  }
}

/**
 * DescribeImageAttribute: `<imageId>` then the one attribute asked for. Only the owner may read
 * an AMI's attributes; others get `AuthFailure: Not authorized for image:ami-...` as from EC2.
 */
export const describeImageAttributeAction = defineAction<DescribeImageAttributeInput>({
  name: "DescribeImageAttribute",
  parse({ params }) {
    const imageId = getString(params, PARAM_IMAGE_ID);
    if (imageId === undefined) throw missingParameter(PARAM_IMAGE_ID);
    return { imageId: assertImageId(imageId), attribute: parseImageAttributeName(getString(params, PARAM_ATTRIBUTE)) };
  },
  execute({ imageId, attribute }, ctx, services) {
    const image = services.images.ownedImage(ctx, imageId);
    return { imageId: image.imageId, [attribute]: renderAttribute(image, attribute) };
  },
});
