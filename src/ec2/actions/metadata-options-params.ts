import type { RawMetadataOptions } from "../../domain/options/validate.ts";
import { getString, type QueryParams } from "../query-params.ts";

/** The five option fields by wire name, under `prefix` (`MetadataOptions.` for RunInstances, "" for Modify...). */
export function getRawMetadataOptions(params: QueryParams, prefix: string): RawMetadataOptions {
  return {
    HttpTokens: getString(params, `${prefix}HttpTokens`),
    HttpPutResponseHopLimit: getString(params, `${prefix}HttpPutResponseHopLimit`),
    HttpEndpoint: getString(params, `${prefix}HttpEndpoint`),
    HttpProtocolIpv6: getString(params, `${prefix}HttpProtocolIpv6`),
    InstanceMetadataTags: getString(params, `${prefix}InstanceMetadataTags`),
  };
}
