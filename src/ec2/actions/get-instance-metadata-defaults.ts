import type { AccountMetadataDefaults } from "../../domain/options/account-defaults.ts";
import { defineAction } from "../action.ts";
import type { XmlObject } from "../xml.ts";

/**
 * `InstanceMetadataDefaultsResponse`, members in the EC2 API reference's order. A field with no
 * preference is left out (EC2 never echoes one, docs/sources.md#configure-new-instances-and-account-defaults);
 * `managedBy` is always there, and
 * `managedExceptionMessage` only when a declarative policy carries one.
 */
export function renderAccountLevel(defaults: AccountMetadataDefaults): XmlObject {
  return {
    httpTokens: defaults.httpTokens,
    httpPutResponseHopLimit: defaults.httpPutResponseHopLimit,
    httpEndpoint: defaults.httpEndpoint,
    instanceMetadataTags: defaults.instanceMetadataTags,
    managedBy: defaults.managedBy,
    managedExceptionMessage: defaults.managedExceptionMessage,
    httpTokensEnforced: defaults.httpTokensEnforced,
  };
}

/** GetInstanceMetadataDefaults: the caller's account in the Region the request was signed for. */
export const getInstanceMetadataDefaultsAction = defineAction<null>({
  name: "GetInstanceMetadataDefaults",
  parse() {
    return null;
  },
  execute(_input, ctx, services) {
    const defaults = services.defaults.get(ctx.accountId, ctx.region);
    return { accountLevel: renderAccountLevel(defaults) };
  },
});
