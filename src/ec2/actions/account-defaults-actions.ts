import type { AnyEc2Action } from "../action.ts";

/** GetInstanceMetadataDefaults, ModifyInstanceMetadataDefaults. */
export const ACCOUNT_DEFAULTS_ACTIONS: readonly AnyEc2Action[] = [];
