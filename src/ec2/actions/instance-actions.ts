import type { AnyEc2Action } from "../action.ts";

/** RunInstances, DescribeInstances, ModifyInstanceMetadataOptions, Start/Stop/TerminateInstances, Create/Delete/DescribeTags. */
export const INSTANCE_ACTIONS: readonly AnyEc2Action[] = [];
