/**
 * Shared steps for the AMI and account-defaults action tests: a fresh harness per test, several
 * accounts over the same services, and small readers for EC2 answers.
 */
import { XMLParser } from "fast-xml-parser";
import { createQueryApi } from "../../src/ec2/query-api.ts";
import type { Application } from "../../src/app/application.ts";
import { expectOk, type CallResult } from "./ec2-answers.ts";
import { createEc2Harness, type Ec2Harness } from "./ec2-harness.ts";

export const ACCOUNT = "123456789012";
export const OTHER_ACCOUNT = "210987654321";
/** The access key that signs as OTHER_ACCOUNT in {@link createAccountsCaller}; any other key is ACCOUNT. */
export const OTHER_ACCESS_KEY = "AKIDOTHERACCOUNT";
/** Built-in public images (src/domain/images/image.ts). */
export const PLAIN_PUBLIC_IMAGE = "ami-0abcdef1234567890";
export const V2_PUBLIC_IMAGE = "ami-0a3c3a20c09d6f377";
export const PUBLIC_IMAGE_COUNT = 4;

export type Call = (action: string, params?: Record<string, string>, options?: { region?: string; accessKeyId?: string }) => Promise<CallResult>;

export async function withHarness(fn: (harness: Ec2Harness) => Promise<void>): Promise<void> {
  const harness = await createEc2Harness();
  try {
    await fn(harness);
  } finally {
    await harness.close();
  }
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === "item" });

/**
 * A second front door over the harness's services whose resolver maps OTHER_ACCESS_KEY to
 * OTHER_ACCOUNT (the harness's own resolver maps every key to one account).
 */
export function createAccountsCaller(services: Application): Call {
  let n = 0;
  const api = createQueryApi({
    services,
    resolveAccountId: (key) => (key === OTHER_ACCESS_KEY ? OTHER_ACCOUNT : ACCOUNT),
    newRequestId: () => `acct-${String(++n).padStart(4, "0")}`,
  });
  return async (action, params = {}, options = {}) => {
    const body = new URLSearchParams({ Action: action, Version: "2016-11-15", ...params }).toString();
    const credential = `${options.accessKeyId ?? "AKIDEXAMPLE"}/20261129/${options.region ?? "us-east-1"}/ec2/aws4_request`;
    const headers = { authorization: `AWS4-HMAC-SHA256 Credential=${credential}, SignedHeaders=host, Signature=0` };
    const result = await api.handle(headers, "", Buffer.from(body));
    return { status: result.status, body: result.body, xml: parser.parse(result.body) };
  };
}

/** Registers an AMI and returns its id. */
export async function register(call: Call, params: Record<string, string>, options: { region?: string; accessKeyId?: string } = {}): Promise<string> {
  const xml = expectOk(await call("RegisterImage", params, options));
  return String(xml.RegisterImageResponse.imageId);
}

/** `imagesSet/item` of a DescribeImages answer. */
export function imagesOf(result: CallResult): any[] {
  const set = expectOk(result).DescribeImagesResponse.imagesSet;
  return set === "" || set === undefined ? [] : set.item;
}

export async function describeImageIds(call: Call, params: Record<string, string> = {}, options: { region?: string; accessKeyId?: string } = {}): Promise<string[]> {
  return imagesOf(await call("DescribeImages", params, options)).map((image) => String(image.imageId));
}

/** `accountLevel` of GetInstanceMetadataDefaults as a plain record. */
export async function accountLevel(call: Call, options: { region?: string; accessKeyId?: string } = {}): Promise<Record<string, string>> {
  const xml = expectOk(await call("GetInstanceMetadataDefaults", {}, options));
  return { ...xml.GetInstanceMetadataDefaultsResponse.accountLevel };
}
