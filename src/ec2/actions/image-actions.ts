import type { AnyEc2Action } from "../action.ts";
import { deregisterImageAction } from "./deregister-image.ts";
import { describeImageAttributeAction } from "./describe-image-attribute.ts";
import { describeImagesAction } from "./describe-images.ts";
import { modifyImageAttributeAction } from "./modify-image-attribute.ts";
import { registerImageAction } from "./register-image.ts";
import { resetImageAttributeAction } from "./reset-image-attribute.ts";

/** RegisterImage, DescribeImages, DescribeImageAttribute, ModifyImageAttribute, ResetImageAttribute, DeregisterImage. */
export const IMAGE_ACTIONS: readonly AnyEc2Action[] = [
  registerImageAction,
  describeImagesAction,
  describeImageAttributeAction,
  modifyImageAttributeAction,
  deregisterImageAction,
  resetImageAttributeAction,
];
