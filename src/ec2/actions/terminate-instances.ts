import { defineStateChangeAction } from "./instance-state-actions.ts";

/** TerminateInstances: -> shutting-down (stored as terminated); repeating it reports terminated. */
export const terminateInstancesAction = defineStateChangeAction("TerminateInstances", "terminate");
