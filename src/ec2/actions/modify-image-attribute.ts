import {
  parseImageAttributeChange,
  type ImageAttributeChange,
  type RawLaunchPermission,
} from "../../domain/images/image-attributes.ts";
import { missingParameter } from "../../domain/images/image-errors.ts";
import { assertImageId } from "../../domain/images/image-rules.ts";
import { defineAction } from "../action.ts";
import { getList, getString, getStructList, type QueryParams } from "../query-params.ts";
import {
  MEMBER_ATTRIBUTE_VALUE,
  MEMBER_GROUP,
  PARAM_ATTRIBUTE,
  PARAM_DESCRIPTION,
  PARAM_IMAGE_ID,
  PARAM_IMDS_SUPPORT,
  PARAM_LAUNCH_PERMISSION_ADD,
  PARAM_LAUNCH_PERMISSION_REMOVE,
  PARAM_OPERATION_TYPE,
  PARAM_ORGANIZATION_ARN,
  PARAM_ORGANIZATIONAL_UNIT_ARN,
  PARAM_PRODUCT_CODE,
  PARAM_USER_GROUP,
  PARAM_USER_ID,
  PARAM_VALUE,
} from "./image-wire.ts";

interface ModifyImageAttributeInput {
  readonly imageId: string;
  readonly change: ImageAttributeChange;
}

function launchPermissions(params: QueryParams, prefix: string): RawLaunchPermission[] {
  const text = (value: string | string[] | undefined) => (typeof value === "string" ? value : undefined);
  return getStructList(params, prefix).map((item) => ({
    Group: text(item[MEMBER_GROUP]),
    UserId: text(item[PARAM_USER_ID]),
    OrganizationArn: text(item[PARAM_ORGANIZATION_ARN]),
    OrganizationalUnitArn: text(item[PARAM_ORGANIZATIONAL_UNIT_ARN]),
  }));
}

/**
 * ModifyImageAttribute: one of description, imdsSupport or launchPermission, named by
 * `Attribute` (+ `Value` / `OperationType` + `UserId.N` / `UserGroup.N`) or by its own structure
 * (`Description.Value`, `ImdsSupport.Value`, `LaunchPermission.Add.N.*`). ImdsSupport accepts only
 * `v2.0` and can never be cleared (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyImageAttribute.html). The reference gives no
 * response elements; EC2 answers
 * `<return>true</return>` like its other Modify*Attribute calls.
 */
export const modifyImageAttributeAction = defineAction<ModifyImageAttributeInput>({
  name: "ModifyImageAttribute",
  parse({ params }) {
    const imageId = getString(params, PARAM_IMAGE_ID);
    if (imageId === undefined) throw missingParameter(PARAM_IMAGE_ID);
    assertImageId(imageId);
    const change = parseImageAttributeChange({
      Attribute: getString(params, PARAM_ATTRIBUTE),
      Value: getString(params, PARAM_VALUE),
      DescriptionValue: getString(params, `${PARAM_DESCRIPTION}.${MEMBER_ATTRIBUTE_VALUE}`),
      ImdsSupportValue: getString(params, `${PARAM_IMDS_SUPPORT}.${MEMBER_ATTRIBUTE_VALUE}`),
      LaunchPermissionAdd: launchPermissions(params, PARAM_LAUNCH_PERMISSION_ADD),
      LaunchPermissionRemove: launchPermissions(params, PARAM_LAUNCH_PERMISSION_REMOVE),
      OperationType: getString(params, PARAM_OPERATION_TYPE),
      UserIds: getList(params, PARAM_USER_ID),
      UserGroups: getList(params, PARAM_USER_GROUP),
      OrganizationArns: getList(params, PARAM_ORGANIZATION_ARN),
      OrganizationalUnitArns: getList(params, PARAM_ORGANIZATIONAL_UNIT_ARN),
      ProductCodes: getList(params, PARAM_PRODUCT_CODE),
    });
    return { imageId, change };
  },
  execute({ imageId, change }, ctx, services) {
    services.images.modifyAttribute(ctx, imageId, change);
    return { return: true };
  },
});
