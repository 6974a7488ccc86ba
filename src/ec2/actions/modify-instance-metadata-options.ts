import { instanceIdMalformed } from "../../domain/instance/resource-errors.ts";
import { isInstanceId } from "../../domain/instance/resource-ids.ts";
import { parseMetadataOptionsModification } from "../../domain/options/validate.ts";
import type { InstanceDocument } from "../../store/state-store.ts";
import { planMetadataOptionsChange, saveInstance } from "../../services/instance-service.ts";
import { defineAction } from "../action.ts";
import { PARAM_INSTANCE_ID } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getString } from "../query-params.ts";
import { renderMetadataOptions } from "../render/instance-xml.ts";
import { getRawMetadataOptions } from "./metadata-options-params.ts";

/**
 * ModifyInstanceMetadataOptions on a running or stopped instance. The response carries the full
 * resulting options with state `pending` (MODEL, CLI example 2); the live IMDS endpoint serves the
 * new options as soon as the call returns ("takes effect immediately", UG-TRANS).
 */
export const modifyInstanceMetadataOptionsAction = defineAction<InstanceDocument>({
  name: "ModifyInstanceMetadataOptions",
  parse(ctx, services) {
    const instanceId = getString(ctx.params, PARAM_INSTANCE_ID);
    if (instanceId === undefined) throw missingParameter(PARAM_INSTANCE_ID);
    if (!isInstanceId(instanceId)) throw instanceIdMalformed(instanceId);
    const change = parseMetadataOptionsModification(getRawMetadataOptions(ctx.params, ""));
    return planMetadataOptionsChange(services, ctx, instanceId, change);
  },
  async execute(doc, _ctx, services) {
    await saveInstance(services, doc);
    return {
      instanceId: doc.record.instanceId,
      instanceMetadataOptions: renderMetadataOptions(doc.record.metadataOptions, "pending"),
    };
  },
});
