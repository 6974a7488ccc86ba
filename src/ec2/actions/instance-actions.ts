import type { AnyEc2Action } from "../action.ts";
import { createTagsAction } from "./create-tags.ts";
import { deleteTagsAction } from "./delete-tags.ts";
import { describeInstanceAttributeAction } from "./describe-instance-attribute.ts";
import { describeInstanceImageMetadataAction } from "./describe-instance-image-metadata.ts";
import { describeInstanceStatusAction } from "./describe-instance-status.ts";
import { describeInstancesAction } from "./describe-instances.ts";
import { describeSubnetsAction } from "./describe-subnets.ts";
import { describeVpcsAction } from "./describe-vpcs.ts";
import { describeTagsAction } from "./describe-tags.ts";
import { modifyInstanceMetadataOptionsAction } from "./modify-instance-metadata-options.ts";
import { rebootInstancesAction } from "./reboot-instances.ts";
import { runInstancesAction } from "./run-instances.ts";
import { startInstancesAction } from "./start-instances.ts";
import { stopInstancesAction } from "./stop-instances.ts";
import { terminateInstancesAction } from "./terminate-instances.ts";

/** RunInstances, DescribeInstances, DescribeInstanceStatus, DescribeInstanceImageMetadata, DescribeInstanceAttribute, DescribeVpcs, DescribeSubnets, ModifyInstanceMetadataOptions, Start/Stop/Terminate/RebootInstances, Create/Delete/DescribeTags. */
export const INSTANCE_ACTIONS: readonly AnyEc2Action[] = [
  runInstancesAction,
  describeInstancesAction,
  describeInstanceStatusAction,
  describeInstanceImageMetadataAction,
  describeVpcsAction,
  describeSubnetsAction,
  modifyInstanceMetadataOptionsAction,
  startInstancesAction,
  stopInstancesAction,
  terminateInstancesAction,
  rebootInstancesAction,
  describeInstanceAttributeAction,
  createTagsAction,
  deleteTagsAction,
  describeTagsAction,
];
