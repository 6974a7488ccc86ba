import type { AnyEc2Action } from "../action.ts";
import { getInstanceMetadataDefaultsAction } from "./get-instance-metadata-defaults.ts";
import { modifyInstanceMetadataDefaultsAction } from "./modify-instance-metadata-defaults.ts";

/** GetInstanceMetadataDefaults, ModifyInstanceMetadataDefaults. */
export const ACCOUNT_DEFAULTS_ACTIONS: readonly AnyEc2Action[] = [
  getInstanceMetadataDefaultsAction,
  modifyInstanceMetadataDefaultsAction,
];
