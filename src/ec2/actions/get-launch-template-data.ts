import { launchTemplateDataOfInstance } from "../../domain/launch-templates/instance-launch-data.ts";
import type { InstanceRecord } from "../../domain/instance/instance.ts";
import { isInstanceId } from "../../domain/instance/resource-ids.ts";
import { instanceIdMalformed } from "../../domain/instance/resource-errors.ts";
import { defineAction } from "../action.ts";
import { PARAM_INSTANCE_ID } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getString } from "../query-params.ts";
import type { XmlObject } from "../xml.ts";
import { renderLaunchTemplateData } from "./launch-template-render.ts";

/**
 * The members of ResponseLaunchTemplateData that an instance has and a launch template does not
 * store: where it runs, monitoring, its security groups, its market.
 */
function instanceOnlyMembers(record: InstanceRecord): XmlObject {
  return {
    monitoring: { enabled: false },
    placement: { availabilityZone: record.availabilityZone, groupName: "", tenancy: "default" },
    securityGroupIdSet: record.securityGroups.map((g) => g.groupId),
    instanceMarketOptions: record.lifecycle === "spot" ? { marketType: "spot" } : undefined,
  };
}

/**
 * GetLaunchTemplateData (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetLaunchTemplateData.html):
 * one instance's launch parameters, MetadataOptions included, in the shape of a launch template's data.
 */
export const getLaunchTemplateDataAction = defineAction<{ readonly record: InstanceRecord }>({
  name: "GetLaunchTemplateData",
  parse(ctx, services) {
    const instanceId = getString(ctx.params, PARAM_INSTANCE_ID);
    if (instanceId === undefined || instanceId === "") throw missingParameter(PARAM_INSTANCE_ID);
    if (!isInstanceId(instanceId)) throw instanceIdMalformed(instanceId);
    const [instance] = services.instances.find(ctx, [instanceId]);
    return { record: instance!.record };
  },
  execute({ record }) {
    return { launchTemplateData: { ...renderLaunchTemplateData(launchTemplateDataOfInstance(record)), ...instanceOnlyMembers(record) } };
  },
});
