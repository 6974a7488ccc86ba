import { instanceIdMalformed } from "../../domain/instance/resource-errors.ts";
import { isInstanceId } from "../../domain/instance/resource-ids.ts";
import { parseMetadataOptionsModification } from "../../domain/options/validate.ts";
import type { Instance } from "../../domain/instance/instance.ts";
import { defineAction } from "../action.ts";
import { PARAM_INSTANCE_ID } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getString } from "../query-params.ts";
import { renderMetadataOptions } from "../render/instance-xml.ts";
import { getRawMetadataOptions } from "./metadata-options-params.ts";

/**
 * ModifyInstanceMetadataOptions on a running or stopped instance. The response carries the full
 * resulting options with state `pending` (EC2 API reference; example 2 of
 * https://docs.aws.amazon.com/cli/latest/reference/ec2/modify-instance-metadata-options.html); the
 * live IMDS endpoint serves the new options as soon as the call returns ("takes effect immediately",
 * docs/sources.md#transition-to-imdsv2).
 */
export const modifyInstanceMetadataOptionsAction = defineAction<Instance>({
  name: "ModifyInstanceMetadataOptions",
  parse(ctx, services) {
    const instanceId = getString(ctx.params, PARAM_INSTANCE_ID);
    if (instanceId === undefined) throw missingParameter(PARAM_INSTANCE_ID);
    if (!isInstanceId(instanceId)) throw instanceIdMalformed(instanceId);
    const change = parseMetadataOptionsModification(getRawMetadataOptions(ctx.params, ""));
    return services.instances.planMetadataOptionsChange(ctx, instanceId, change);
  },
  async execute(doc, _ctx, services) {
    await services.instances.save(doc);
    return {
      instanceId: doc.record.instanceId,
      instanceMetadataOptions: renderMetadataOptions(doc.record.metadataOptions, "pending"),
    };
  },
});
