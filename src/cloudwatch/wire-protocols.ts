/**
 * The three protocols CloudWatch speaks (service model `protocols`: smithy-rpc-v2-cbor, json,
 * query), each as decode (request -> operation and plain input) and encode (output or error ->
 * status, headers, bytes). The service is `awsQueryCompatible`: JSON and CBOR errors also carry
 * the Query code in `x-amzn-query-error`, which the SDKs report as the error's code.
 */
import { decode as decodeCbor, encode as encodeCbor } from "cbor2";
import { escapeXmlText } from "../ec2/xml.ts";
import { CloudWatchError } from "./cloudwatch-error.ts";
import {
  CLOUDWATCH_API_VERSION,
  CLOUDWATCH_TARGET_PREFIX,
  CLOUDWATCH_XML_NAMESPACE,
  CONTENT_TYPE_CBOR,
  CONTENT_TYPE_JSON_1_0,
  HEADER_QUERY_ERROR,
  HEADER_SMITHY_PROTOCOL,
  HEADER_TARGET,
  RPC_V2_CBOR,
  RPC_V2_PATH_PREFIX,
} from "./constants.ts";
import type { Input } from "./input-readers.ts";

export interface WireRequest {
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface WireAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer | string;
}

export interface WireProtocol {
  readonly name: "rpc-v2-cbor" | "json-1.0" | "query";
  matches(request: WireRequest): boolean;
  decode(request: WireRequest): { operation: string; input: Input };
  encode(operation: string, output: Record<string, unknown>, requestId: string): WireAnswer;
  encodeError(error: CloudWatchError, requestId: string): WireAnswer;
}

const ERROR_NAMESPACE = "com.amazonaws.cloudwatch#";

function header(request: WireRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function queryErrorHeader(error: CloudWatchError): string {
  return `${error.code};${error.status >= 500 ? "Receiver" : "Sender"}`;
}

function malformed(protocol: string): CloudWatchError {
  return new CloudWatchError("InvalidParameterValue", `The request body is not valid ${protocol}.`);
}

/** Dates become epoch seconds for JSON; CBOR keeps them as Date (cbor2 writes tag 1, epoch seconds). */
function toJsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return value;
}

export const RPC_V2_CBOR_PROTOCOL: WireProtocol = {
  name: "rpc-v2-cbor",
  matches: (r) => r.path.startsWith(RPC_V2_PATH_PREFIX),
  decode(r) {
    if (header(r, HEADER_SMITHY_PROTOCOL) !== RPC_V2_CBOR) throw new CloudWatchError("InvalidParameterValue", `The ${HEADER_SMITHY_PROTOCOL} header must be ${RPC_V2_CBOR}.`);
    let input: unknown = {};
    if (r.body.length > 0) {
      try {
        input = decodeCbor(r.body);
      } catch {
        throw malformed("CBOR");
      }
    }
    if (input === null || typeof input !== "object" || Array.isArray(input)) throw malformed("CBOR");
    return { operation: r.path.slice(RPC_V2_PATH_PREFIX.length), input: input as Input };
  },
  encode: (_operation, output, requestId) => ({
    status: 200,
    headers: { "Content-Type": CONTENT_TYPE_CBOR, [HEADER_SMITHY_PROTOCOL]: RPC_V2_CBOR, "x-amzn-RequestId": requestId },
    body: Buffer.from(encodeCbor(output)),
  }),
  encodeError: (error, requestId) => ({
    status: error.status,
    headers: { "Content-Type": CONTENT_TYPE_CBOR, [HEADER_SMITHY_PROTOCOL]: RPC_V2_CBOR, [HEADER_QUERY_ERROR]: queryErrorHeader(error), "x-amzn-RequestId": requestId },
    body: Buffer.from(encodeCbor({ __type: `${ERROR_NAMESPACE}${error.shape}`, message: error.message })),
  }),
};

export const JSON_1_0_PROTOCOL: WireProtocol = {
  name: "json-1.0",
  matches: (r) => (header(r, HEADER_TARGET) ?? "").startsWith(`${CLOUDWATCH_TARGET_PREFIX}.`),
  decode(r) {
    let input: unknown = {};
    if (r.body.length > 0) {
      try {
        input = JSON.parse(r.body.toString("utf8"));
      } catch {
        throw malformed("JSON");
      }
    }
    if (input === null || typeof input !== "object" || Array.isArray(input)) throw malformed("JSON");
    return { operation: (header(r, HEADER_TARGET) ?? "").slice(CLOUDWATCH_TARGET_PREFIX.length + 1), input: input as Input };
  },
  encode: (_operation, output, requestId) => ({
    status: 200,
    headers: { "Content-Type": CONTENT_TYPE_JSON_1_0, "x-amzn-RequestId": requestId },
    body: JSON.stringify(toJsonValue(output)),
  }),
  encodeError: (error, requestId) => ({
    status: error.status,
    headers: { "Content-Type": CONTENT_TYPE_JSON_1_0, [HEADER_QUERY_ERROR]: queryErrorHeader(error), "x-amzn-RequestId": requestId },
    body: JSON.stringify({ __type: `${ERROR_NAMESPACE}${error.shape}`, message: error.message }),
  }),
};

/** The Query form: `A.member.1.B=...` becomes `{ A: [{ B: ... }] }`. */
export function queryInput(params: URLSearchParams): Input {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version" || key.startsWith("X-Amz-")) continue;
    const parts = key.split(".");
    let node: Record<string, unknown> | unknown[] = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === "member" && Array.isArray(node)) continue;
      const isIndex = /^\d+$/.test(part) && Array.isArray(node);
      const slot: string | number = isIndex ? Number(part) - 1 : part;
      if (last) {
        (node as Record<string | number, unknown>)[slot] = value;
        break;
      }
      const nextIsList = parts[i + 1] === "member";
      const container = node as Record<string | number, unknown>;
      container[slot] ??= nextIsList ? [] : {};
      node = container[slot] as Record<string, unknown> | unknown[];
    }
  }
  return root;
}

function xmlOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString().replace(".000Z", "Z");
  if (Array.isArray(value)) return value.map((v) => `<member>${xmlOf(v)}</member>`).join("");
  if (value !== null && typeof value === "object") return Object.entries(value).map(([k, v]) => (v === undefined ? "" : `<${k}>${xmlOf(v)}</${k}>`)).join("");
  return escapeXmlText(String(value));
}

function formParams(r: WireRequest): URLSearchParams {
  return new URLSearchParams(r.body.length > 0 ? r.body.toString("utf8") : r.query);
}

export const QUERY_PROTOCOL: WireProtocol = {
  name: "query",
  matches: (r) => formParams(r).get("Version") === CLOUDWATCH_API_VERSION,
  decode(r) {
    const params = formParams(r);
    return { operation: params.get("Action") ?? "", input: queryInput(params) };
  },
  encode: (operation, output, requestId) => ({
    status: 200,
    headers: { "Content-Type": "text/xml", "x-amzn-RequestId": requestId },
    body:
      `<${operation}Response xmlns="${CLOUDWATCH_XML_NAMESPACE}"><${operation}Result>${xmlOf(output)}</${operation}Result>` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
  }),
  encodeError: (error, requestId) => ({
    status: error.status,
    headers: { "Content-Type": "text/xml", "x-amzn-RequestId": requestId },
    body:
      `<ErrorResponse xmlns="${CLOUDWATCH_XML_NAMESPACE}"><Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type>` +
      `<Code>${escapeXmlText(error.code)}</Code><Message>${escapeXmlText(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  }),
};

/** In the order they are recognised: path, then header, then the form's Version. */
export const WIRE_PROTOCOLS: readonly WireProtocol[] = [RPC_V2_CBOR_PROTOCOL, JSON_1_0_PROTOCOL, QUERY_PROTOCOL];
