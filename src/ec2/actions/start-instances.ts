import { defineStateChangeAction } from "./instance-state-actions.ts";

/** StartInstances: stopped -> pending (stored as running); starting a terminated instance is IncorrectInstanceState. */
export const startInstancesAction = defineStateChangeAction("StartInstances", "start");
