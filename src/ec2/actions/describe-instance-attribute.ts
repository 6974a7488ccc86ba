import { DomainError } from "../../domain/errors.ts";
import type { InstanceRecord } from "../../domain/instance/instance.ts";
import { isInstanceId } from "../../domain/instance/resource-ids.ts";
import { instanceIdMalformed } from "../../domain/instance/resource-errors.ts";
import { defineAction } from "../action.ts";
import { ErrorCode, PARAM_INSTANCE_ID } from "../constants.ts";
import { missingParameter } from "../instance-id-params.ts";
import { getString } from "../query-params.ts";
import type { XmlObject, XmlValue } from "../xml.ts";

const PARAM_ATTRIBUTE = "Attribute";

/**
 * Each InstanceAttributeName of the model and its element, with the values DescribeInstances
 * shows for the same instance (root device, groups, ENA) or EC2's defaults for options the
 * emulator does not model (termination and stop protection off, shutdown behaviour `stop`).
 */
const ATTRIBUTES: Readonly<Record<string, (r: InstanceRecord) => XmlValue>> = {
  instanceType: (r) => ({ value: r.instanceType }),
  kernel: () => ({}),
  ramdisk: () => ({}),
  userData: (r) => (r.userData === null ? {} : { value: r.userData }),
  disableApiTermination: () => ({ value: false }),
  instanceInitiatedShutdownBehavior: () => ({ value: "stop" }),
  rootDeviceName: () => ({ value: "/dev/xvda" }),
  blockDeviceMapping: () => [],
  productCodes: () => [],
  sourceDestCheck: () => ({ value: true }),
  groupSet: (r) => r.securityGroups.map((g) => ({ groupId: g.groupId, groupName: g.groupName })),
  ebsOptimized: () => ({ value: false }),
  sriovNetSupport: () => ({}),
  enaSupport: () => ({ value: true }),
  enclaveOptions: () => ({ enabled: false }),
  disableApiStop: () => ({ value: false }),
};

/**
 * DescribeInstanceAttribute (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceAttribute.html):
 * one attribute of one instance. ModifyInstanceAttribute is not implemented, so the values are
 * those of the launch (docs/behaviour.md#describe-instance-attribute).
 */
export const describeInstanceAttributeAction = defineAction<{ readonly record: InstanceRecord; readonly attribute: string }>({
  name: "DescribeInstanceAttribute",
  parse(ctx, services) {
    const instanceId = getString(ctx.params, PARAM_INSTANCE_ID);
    if (instanceId === undefined || instanceId === "") throw missingParameter(PARAM_INSTANCE_ID);
    const attribute = getString(ctx.params, PARAM_ATTRIBUTE);
    if (attribute === undefined || attribute === "") throw missingParameter(PARAM_ATTRIBUTE);
    if (!Object.hasOwn(ATTRIBUTES, attribute)) {
      throw new DomainError(ErrorCode.InvalidParameterValue, `Value (${attribute}) for parameter attribute is invalid. Unknown attribute.`);
    }
    if (!isInstanceId(instanceId)) throw instanceIdMalformed(instanceId);
    const [instance] = services.instances.find(ctx, [instanceId]);
    return { record: instance!.record, attribute };
  },
  execute({ record, attribute }): XmlObject {
    return { instanceId: record.instanceId, [attribute]: ATTRIBUTES[attribute]!(record) };
  },
});
