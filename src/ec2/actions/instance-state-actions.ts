import type { StateOperation } from "../../domain/instance/instance-state.ts";
import type { PlannedStateChange } from "../../app/instance-service.ts";
import { defineAction, type Ec2Action } from "../action.ts";
import { getInstanceIds } from "../instance-id-params.ts";
import { renderStateChange } from "../render/instance-xml.ts";

/**
 * Start/Stop/TerminateInstances share one shape: `InstanceId.N` in, `instancesSet` of
 * InstanceStateChange out. Every instance is checked before any changes state. Extra members
 * (Force, Hibernate, SkipOsShutdown, AdditionalInfo) are accepted and ignored.
 */
export function defineStateChangeAction(name: string, operation: StateOperation): Ec2Action<PlannedStateChange[]> {
  return defineAction<PlannedStateChange[]>({
    name,
    parse(ctx, services) {
      return services.instances.planStateChange(ctx, getInstanceIds(ctx.params, { required: true }), operation);
    },
    async execute(changes, _ctx, services) {
      await services.instances.applyStateChange(changes);
      return {
        instancesSet: changes.map(({ instance, transition }) =>
          renderStateChange(instance.record.instanceId, transition.reported, transition.previous),
        ),
      };
    },
  });
}
