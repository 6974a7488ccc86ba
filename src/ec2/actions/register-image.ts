import { DomainError } from "../../domain/errors.ts";
import { missingParameter } from "../../domain/images/image-errors.ts";
import {
  assertDescription,
  assertImageName,
  DEFAULT_ARCHITECTURE,
  DEFAULT_ROOT_DEVICE_NAME,
  parseArchitecture,
  parseImdsSupport,
} from "../../domain/images/image-rules.ts";
import { parseImageBoot } from "../../domain/images/image-boot.ts";
import type { Tag } from "../../domain/instance/instance.ts";
import { assertTagLimit, assertUserTag, mergeTags } from "../../domain/tags/tag-rules.ts";
import type { RegisterImageInput } from "../../app/image-service.ts";
import { defineAction } from "../action.ts";
import { ErrorCode, MEMBER_RESOURCE_TYPE, PARAM_TAG_SPECIFICATION } from "../constants.ts";
import { getBoolean, getString, getTagSpecifications, type QueryParams } from "../query-params.ts";
import {
  PARAM_ARCHITECTURE,
  PARAM_DESCRIPTION,
  PARAM_IMAGE_LOCATION,
  PARAM_IMDS_SUPPORT,
  PARAM_NAME,
  PARAM_ROOT_DEVICE_NAME,
  RESOURCE_TYPE_IMAGE,
} from "./image-wire.ts";

/**
 * RegisterImage (EC2 API reference): "To tag the AMI, the value for ResourceType must be image. If you specify another value
 * for ResourceType, the request fails." The failure's wording is EC2's usual one for that case.
 */
function parseImageTags(params: QueryParams): Tag[] {
  const tags: Tag[] = [];
  getTagSpecifications(params).forEach((spec, index) => {
    if (spec.ResourceType === undefined) throw missingParameter(`${PARAM_TAG_SPECIFICATION}.${index + 1}.${MEMBER_RESOURCE_TYPE}`);
    if (spec.ResourceType !== RESOURCE_TYPE_IMAGE) {
      throw new DomainError(ErrorCode.InvalidParameterValue, `'${spec.ResourceType}' is not a valid taggable resource type for this operation.`);
    }
    for (const tag of spec.Tags) tags.push({ key: tag.Key, value: tag.Value });
  });
  tags.forEach((tag) => assertUserTag(tag, "launch"));
  const merged = mergeTags([], tags);
  assertTagLimit(merged);
  return merged;
}

/**
 * RegisterImage. BootMode, TpmSupport, EnaSupport, SriovNetSupport, KernelId, RamdiskId and
 * VirtualizationType are checked and kept (docs/behaviour.md#image-boot); snapshots and block
 * device mappings are accepted and not modelled. The new AMI is
 * `available` at once (real EC2 passes through `pending`).
 */
export const registerImageAction = defineAction<RegisterImageInput>({
  name: "RegisterImage",
  parse({ params }) {
    const name = getString(params, PARAM_NAME);
    if (name === undefined) throw missingParameter(PARAM_NAME);
    const description = getString(params, PARAM_DESCRIPTION);
    const architecture = getString(params, PARAM_ARCHITECTURE);
    const rootDeviceName = getString(params, PARAM_ROOT_DEVICE_NAME);
    const imdsSupport = getString(params, PARAM_IMDS_SUPPORT);
    return {
      name: assertImageName(name),
      description: description === undefined ? "" : assertDescription(description, PARAM_DESCRIPTION),
      architecture: architecture === undefined ? DEFAULT_ARCHITECTURE : parseArchitecture(architecture),
      rootDeviceName: rootDeviceName === undefined || rootDeviceName === "" ? DEFAULT_ROOT_DEVICE_NAME : rootDeviceName,
      imdsSupport: imdsSupport === undefined ? null : parseImdsSupport(imdsSupport, PARAM_IMDS_SUPPORT, "register"),
      imageLocation: getString(params, PARAM_IMAGE_LOCATION),
      tags: parseImageTags(params),
      boot: parseImageBoot({
        bootMode: getString(params, "BootMode"),
        tpmSupport: getString(params, "TpmSupport"),
        enaSupport: getBoolean(params, "EnaSupport"),
        sriovNetSupport: getString(params, "SriovNetSupport"),
        kernelId: getString(params, "KernelId"),
        ramdiskId: getString(params, "RamdiskId"),
        virtualizationType: getString(params, "VirtualizationType"),
      }),
    };
  },
  execute(input, ctx, services) {
    const image = services.images.register(ctx, input, ctx.nowMs);
    return { imageId: image.imageId };
  },
});
