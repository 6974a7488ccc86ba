import { METADATA_OPTION_FIELDS, METADATA_OPTION_NAMES } from "../../domain/options/metadata-option-names.ts";
import type { RawMetadataOptions } from "../../domain/options/validate.ts";
import { getString, type QueryParams } from "../query-params.ts";

/** The option fields by wire name, under `prefix` (`MetadataOptions.` for RunInstances, "" for Modify...). */
export function getRawMetadataOptions(params: QueryParams, prefix: string): RawMetadataOptions {
  const raw: Record<string, string | undefined> = {};
  for (const field of METADATA_OPTION_FIELDS) {
    const { param } = METADATA_OPTION_NAMES[field];
    raw[param] = getString(params, `${prefix}${param}`);
  }
  return raw;
}
