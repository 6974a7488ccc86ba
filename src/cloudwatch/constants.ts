/** CloudWatch's wire names (service model monitoring-2010-08-01), one place for each protocol. */
export const CLOUDWATCH_API_VERSION = "2010-08-01";
export const CLOUDWATCH_TARGET_PREFIX = "GraniteServiceVersion20100801";
export const CLOUDWATCH_XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";
/** The SigV4 signing name of CloudWatch. */
export const CLOUDWATCH_SIGNING_NAME = "monitoring";
/** Smithy RPC v2 CBOR: POST /service/{service}/operation/{operation}. */
export const RPC_V2_PATH_PREFIX = `/service/${CLOUDWATCH_TARGET_PREFIX}/operation/`;
export const HEADER_SMITHY_PROTOCOL = "smithy-protocol";
export const RPC_V2_CBOR = "rpc-v2-cbor";
export const CONTENT_TYPE_CBOR = "application/cbor";
export const CONTENT_TYPE_JSON_1_0 = "application/x-amz-json-1.0";
export const HEADER_TARGET = "x-amz-target";
/** awsQueryCompatible services name the Query error code and fault in this header. */
export const HEADER_QUERY_ERROR = "x-amzn-query-error";
export const HEADER_REQUEST_ID = "x-amzn-RequestId";

/** EC2's IMDS metrics (EC2 User Guide, "Instance metrics": MetadataNoToken, MetadataNoTokenRejected). */
export const EC2_NAMESPACE = "AWS/EC2";
export const METRIC_NO_TOKEN = "MetadataNoToken";
export const METRIC_NO_TOKEN_REJECTED = "MetadataNoTokenRejected";
export const IMDS_METRICS = [METRIC_NO_TOKEN, METRIC_NO_TOKEN_REJECTED] as const;
export type ImdsMetricName = (typeof IMDS_METRICS)[number];
export const DIMENSION_INSTANCE_ID = "InstanceId";
export const METRIC_UNIT = "Count";

export const MINUTE_MS = 60_000;
/**
 * "Data points with a period of 60 seconds (1-minute) are available for 15 days."
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention
 */
export const ONE_MINUTE_RETENTION_MS = 15 * 24 * 60 * MINUTE_MS;
