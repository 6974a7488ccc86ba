import { DomainError } from "../../domain/errors.ts";
import { defineAction } from "../action.ts";
import { getInstanceIds } from "../instance-id-params.ts";

/**
 * RebootInstances (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RebootInstances.html):
 * every named instance must exist and not be terminated or shutting down; the call answers `true`.
 * Nothing boots here, so a reboot changes nothing the API or IMDS shows: the endpoint keeps serving
 * and tokens stay valid (docs/behaviour.md#reboot-instances).
 */
export const rebootInstancesAction = defineAction<{ readonly instanceIds: readonly string[] }>({
  name: "RebootInstances",
  parse(ctx, services) {
    const instanceIds = getInstanceIds(ctx.params, { required: true });
    for (const instance of services.instances.find(ctx, instanceIds)) {
      const { state, instanceId } = instance.record;
      if (state === "terminated" || state === "shutting-down") {
        throw new DomainError("IncorrectInstanceState", `The instance '${instanceId}' is not in a state from which it can be rebooted.`);
      }
    }
    return { instanceIds };
  },
  execute() {
    return { return: true };
  },
});
