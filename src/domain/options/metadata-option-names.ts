/**
 * Every wire name of the five instance metadata options, in one table keyed by the domain's field.
 * A sixth field in `MetadataOptions` fails to compile here (`satisfies`), and every consumer that
 * derives its names from this table (query parameters, XML, filters, condition keys, the AWS CLI's
 * JSON) follows. The table lives in the domain, not in `src/ec2`, because the validators and the
 * policy evaluator of the domain name the same parameters in EC2's messages and condition keys.
 * Outside the table's reach: the dashboard's browser code (src/dashboard/web/editors.js), which
 * cannot import TypeScript, and the toolkit, whose AWS SDK shapes type-check the names themselves.
 *
 * Names as in the EC2 API Reference: InstanceMetadataOptionsRequest / InstanceMetadataOptionsResponse
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_InstanceMetadataOptionsResponse.html),
 * the DescribeInstances filters
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html), and the
 * condition keys of Amazon EC2
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html).
 */
import type { MetadataOptions } from "./metadata-options.ts";

export type MetadataOptionField = keyof MetadataOptions;

export interface MetadataOptionNames {
  /** Query parameter member (`MetadataOptions.HttpTokens`), and the member name in the SDKs' and AWS CLI's JSON. */
  readonly param: string;
  /** Element name in XML responses (`metadataOptions.httpTokens`). */
  readonly xml: string;
  /** DescribeInstances filter. */
  readonly filter: string;
  /** IAM condition key with the requested value; HttpProtocolIpv6 has none. */
  readonly conditionKey: string | null;
  /** Whether the account-level defaults (ModifyInstanceMetadataDefaults) have this option. */
  readonly accountLevel: boolean;
}

/** In the order of the API's shapes, which is the order responses write them. */
export const METADATA_OPTION_NAMES = {
  httpTokens: {
    param: "HttpTokens",
    xml: "httpTokens",
    filter: "metadata-options.http-tokens",
    conditionKey: "ec2:MetadataHttpTokens",
    accountLevel: true,
  },
  httpPutResponseHopLimit: {
    param: "HttpPutResponseHopLimit",
    xml: "httpPutResponseHopLimit",
    filter: "metadata-options.http-put-response-hop-limit",
    conditionKey: "ec2:MetadataHttpPutResponseHopLimit",
    accountLevel: true,
  },
  httpEndpoint: {
    param: "HttpEndpoint",
    xml: "httpEndpoint",
    filter: "metadata-options.http-endpoint",
    conditionKey: "ec2:MetadataHttpEndpoint",
    accountLevel: true,
  },
  httpProtocolIpv6: {
    param: "HttpProtocolIpv6",
    xml: "httpProtocolIpv6",
    filter: "metadata-options.http-protocol-ipv6",
    conditionKey: null,
    accountLevel: false,
  },
  instanceMetadataTags: {
    param: "InstanceMetadataTags",
    xml: "instanceMetadataTags",
    filter: "metadata-options.instance-metadata-tags",
    conditionKey: "ec2:InstanceMetadataTags",
    accountLevel: true,
  },
} as const satisfies Record<MetadataOptionField, MetadataOptionNames>;

/** `HttpTokens` | `HttpPutResponseHopLimit` | …: the options' names on the wire. */
export type MetadataOptionParam = (typeof METADATA_OPTION_NAMES)[MetadataOptionField]["param"];

/** The account-level options (every option but HttpProtocolIpv6). */
export type AccountLevelField = {
  [F in MetadataOptionField]: (typeof METADATA_OPTION_NAMES)[F]["accountLevel"] extends true ? F : never;
}[MetadataOptionField];
export type AccountLevelParam = (typeof METADATA_OPTION_NAMES)[AccountLevelField]["param"];

export const METADATA_OPTION_FIELDS = Object.keys(METADATA_OPTION_NAMES) as readonly MetadataOptionField[];

export const ACCOUNT_LEVEL_FIELDS = METADATA_OPTION_FIELDS.filter((f) => METADATA_OPTION_NAMES[f].accountLevel) as readonly AccountLevelField[];

export function metadataOptionParam<F extends MetadataOptionField>(field: F): (typeof METADATA_OPTION_NAMES)[F]["param"] {
  return METADATA_OPTION_NAMES[field].param;
}
