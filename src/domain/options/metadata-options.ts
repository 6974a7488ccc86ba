/** The five instance metadata options of EC2 (InstanceMetadataOptionsResponse). */

export const HTTP_TOKENS = ["optional", "required"] as const;
export type HttpTokens = (typeof HTTP_TOKENS)[number];

export const ENDPOINT_STATES = ["enabled", "disabled"] as const;
export type EndpointState = (typeof ENDPOINT_STATES)[number];

export const OPTIONS_STATES = ["pending", "applied"] as const;
export type OptionsState = (typeof OPTIONS_STATES)[number];

export const HOP_LIMIT_MIN = 1;
export const HOP_LIMIT_MAX = 64;

export interface MetadataOptions {
  readonly httpTokens: HttpTokens;
  readonly httpPutResponseHopLimit: number;
  readonly httpEndpoint: EndpointState;
  readonly httpProtocolIpv6: EndpointState;
  readonly instanceMetadataTags: EndpointState;
}

/** What EC2 uses when no level sets a value and the AMI has no ImdsSupport. */
export const EC2_DEFAULT_OPTIONS: MetadataOptions = Object.freeze({
  httpTokens: "optional",
  httpPutResponseHopLimit: 1,
  httpEndpoint: "enabled",
  httpProtocolIpv6: "disabled",
  instanceMetadataTags: "disabled",
});

/** A partial set of options, as a launch template, a RunInstances call or a modification gives them. */
export type MetadataOptionsInput = Partial<MetadataOptions>;

export function isHttpTokens(value: unknown): value is HttpTokens {
  return value === "optional" || value === "required";
}

export function isEndpointState(value: unknown): value is EndpointState {
  return value === "enabled" || value === "disabled";
}

export function isValidHopLimit(value: number): boolean {
  return Number.isInteger(value) && value >= HOP_LIMIT_MIN && value <= HOP_LIMIT_MAX;
}

/** In a modification `undefined` keeps the current value (unlike moto, which erases it). */
export function applyModification(current: MetadataOptions, change: MetadataOptionsInput): MetadataOptions {
  return {
    httpTokens: change.httpTokens ?? current.httpTokens,
    httpPutResponseHopLimit: change.httpPutResponseHopLimit ?? current.httpPutResponseHopLimit,
    httpEndpoint: change.httpEndpoint ?? current.httpEndpoint,
    httpProtocolIpv6: change.httpProtocolIpv6 ?? current.httpProtocolIpv6,
    instanceMetadataTags: change.instanceMetadataTags ?? current.instanceMetadataTags,
  };
}
