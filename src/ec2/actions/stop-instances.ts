import { defineStateChangeAction } from "./instance-state-actions.ts";

/** StopInstances: running -> stopping (stored as stopped: the IMDS endpoint stops listening). */
export const stopInstancesAction = defineStateChangeAction("StopInstances", "stop");
