import type { AnyEc2Action } from "../action.ts";

/** RegisterImage, DescribeImages, DescribeImageAttribute, ModifyImageAttribute, DeregisterImage. */
export const IMAGE_ACTIONS: readonly AnyEc2Action[] = [];
