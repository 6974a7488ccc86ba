import type { AccountDefaultsChange } from "../../domain/options/account-defaults.ts";
import { parseAccountDefaultsChange } from "../../domain/options/validate.ts";
import { AccountDefaultsService } from "../../services/account-defaults-service.ts";
import { defineAction } from "../action.ts";
import { getString } from "../query-params.ts";

export const PARAM_HTTP_TOKENS = "HttpTokens";
export const PARAM_HTTP_PUT_RESPONSE_HOP_LIMIT = "HttpPutResponseHopLimit";
export const PARAM_HTTP_ENDPOINT = "HttpEndpoint";
export const PARAM_INSTANCE_METADATA_TAGS = "InstanceMetadataTags";
export const PARAM_HTTP_TOKENS_ENFORCED = "HttpTokensEnforced";

/**
 * ModifyInstanceMetadataDefaults for the caller's account in the signed Region. A field not sent
 * keeps its value; `no-preference` (hop limit `-1`) clears it (MODEL). Under a declarative policy
 * the call fails with UnsupportedOperation carrying the policy's exception message.
 */
export const modifyInstanceMetadataDefaultsAction = defineAction<AccountDefaultsChange>({
  name: "ModifyInstanceMetadataDefaults",
  parse({ params }) {
    return parseAccountDefaultsChange({
      HttpTokens: getString(params, PARAM_HTTP_TOKENS),
      HttpPutResponseHopLimit: getString(params, PARAM_HTTP_PUT_RESPONSE_HOP_LIMIT),
      HttpEndpoint: getString(params, PARAM_HTTP_ENDPOINT),
      InstanceMetadataTags: getString(params, PARAM_INSTANCE_METADATA_TAGS),
      HttpTokensEnforced: getString(params, PARAM_HTTP_TOKENS_ENFORCED),
    });
  },
  execute(change, ctx, services) {
    new AccountDefaultsService(services.store).modify(ctx.accountId, ctx.region, change);
    return { return: true };
  },
});
