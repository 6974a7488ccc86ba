import { DomainError } from "../../domain/errors.ts";
import { GROUP_ALL, type ImageAttributeChange, type LaunchPermission } from "../../domain/images/image-attributes.ts";
import { missingParameter } from "../../domain/images/image-errors.ts";
import { assertImageId } from "../../domain/images/image-rules.ts";
import { defineAction } from "../action.ts";
import { ErrorCode } from "../constants.ts";
import { getString } from "../query-params.ts";
import { PARAM_IMAGE_ID } from "./image-wire.ts";

const PARAM_ATTRIBUTE = "Attribute";
/** ResetImageAttributeName has one value in the model. */
const RESETTABLE = "launchPermission";

/**
 * ResetImageAttribute (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResetImageAttribute.html):
 * `launchPermission` back to its default, private to the owner: the `all` group and every
 * account given permission are removed. Only the owner may reset (as ModifyImageAttribute).
 */
export const resetImageAttributeAction = defineAction<{ readonly imageId: string; readonly change: ImageAttributeChange }>({
  name: "ResetImageAttribute",
  parse(ctx, services) {
    const imageId = getString(ctx.params, PARAM_IMAGE_ID);
    if (imageId === undefined) throw missingParameter(PARAM_IMAGE_ID);
    const attribute = getString(ctx.params, PARAM_ATTRIBUTE);
    if (attribute === undefined) throw missingParameter(PARAM_ATTRIBUTE);
    if (attribute !== RESETTABLE) {
      throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${attribute}) for parameter attribute is invalid. Only launchPermission can be reset.`);
    }
    const image = services.images.ownedImage(ctx, assertImageId(imageId));
    const remove: LaunchPermission[] = [{ group: GROUP_ALL }, ...(image.launchPermissionUserIds ?? []).map((userId) => ({ userId }))];
    return { imageId: image.imageId, change: { kind: "launchPermission", add: [], remove } };
  },
  execute({ imageId, change }, ctx, services) {
    services.images.modifyAttribute(ctx, imageId, change);
    return { return: true };
  },
});
