import type { AccountDefaultsChange } from "../../domain/options/account-defaults.ts";
import { ACCOUNT_LEVEL_FIELDS, METADATA_OPTION_NAMES } from "../../domain/options/metadata-option-names.ts";
import { PARAM_HTTP_TOKENS_ENFORCED, parseAccountDefaultsChange } from "../../domain/options/validate.ts";
import { defineAction } from "../action.ts";
import { getString } from "../query-params.ts";

/**
 * ModifyInstanceMetadataDefaults for the caller's account in the signed Region. A field not sent
 * keeps its value; `no-preference` (hop limit `-1`) clears it (EC2 API reference). Under a declarative policy
 * the call fails with UnsupportedOperation carrying the policy's exception message.
 */
export const modifyInstanceMetadataDefaultsAction = defineAction<AccountDefaultsChange>({
  name: "ModifyInstanceMetadataDefaults",
  parse({ params }) {
    const raw: Record<string, string | undefined> = { [PARAM_HTTP_TOKENS_ENFORCED]: getString(params, PARAM_HTTP_TOKENS_ENFORCED) };
    for (const field of ACCOUNT_LEVEL_FIELDS) raw[METADATA_OPTION_NAMES[field].param] = getString(params, METADATA_OPTION_NAMES[field].param);
    return parseAccountDefaultsChange(raw);
  },
  execute(change, ctx, services) {
    services.defaults.modify(ctx.accountId, ctx.region, change);
    return { return: true };
  },
});
