import type { Clock } from "../platform/clock.ts";
import type { StateStore } from "../store/state-store.ts";
import type { Estate } from "./estate.ts";
import type { IdSource } from "./instance-factory.ts";

/** What the EC2 actions may use: the store, the live estate, the clock and the id source. */
export interface Ec2Services {
  readonly store: StateStore;
  readonly estate: Estate;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** How long ModifyInstanceMetadataOptions and launches report `pending` before `applied`. */
  readonly optionsApplyDelayMs: number;
}
