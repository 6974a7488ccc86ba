/** Shared steps for the launch template action tests: create through the API, read errors, snapshot state. */
import assert from "node:assert/strict";
import type { Ec2Harness } from "./ec2-harness.ts";
import { assertGolden } from "./golden.ts";

export interface CallResult {
  readonly status: number;
  readonly body: string;
  readonly xml: any;
}

/** The code and message of an EC2 error envelope. */
export function errorOf(result: CallResult): { status: number; code: string; message: string } {
  const error = result.xml?.Response?.Errors?.Error;
  assert.ok(error, `expected an error envelope, got ${result.status}: ${result.body}`);
  return { status: result.status, code: String(error.Code), message: String(error.Message) };
}

export function assertError(result: CallResult, code: string, message?: string | RegExp): void {
  const error = errorOf(result);
  assert.equal(error.code, code, `unexpected error ${error.code}: ${error.message}`);
  if (typeof message === "string") assert.equal(error.message, message);
  else if (message instanceof RegExp) assert.match(error.message, message);
}

export function assertOk(result: CallResult): void {
  assert.equal(result.status, 200, result.body);
}

/** Every stored launch template, as one comparable string. */
export function templateState(harness: Ec2Harness): string {
  return JSON.stringify(harness.store.launchTemplates.list());
}

/** CreateLaunchTemplate with ImageId ami-0abcdef1234567890 plus `params`; returns the new id. */
export async function createTemplate(
  harness: Ec2Harness,
  name: string,
  params: Record<string, string> = {},
  options: { region?: string } = {},
): Promise<string> {
  const result = await harness.call(
    "CreateLaunchTemplate",
    { LaunchTemplateName: name, "LaunchTemplateData.ImageId": "ami-0abcdef1234567890", ...params },
    options,
  );
  assertOk(result);
  return String(result.xml.CreateLaunchTemplateResponse.launchTemplate.launchTemplateId);
}

export async function createVersion(harness: Ec2Harness, templateId: string, params: Record<string, string>): Promise<number> {
  const result = await harness.call("CreateLaunchTemplateVersion", { LaunchTemplateId: templateId, ...params });
  assertOk(result);
  return Number(result.xml.CreateLaunchTemplateVersionResponse.launchTemplateVersion.versionNumber);
}

/** The `item` list under `path` of a parsed response (the harness parses every `item` as a list). */
export function items(result: CallResult, action: string, member: string): any[] {
  const container = result.xml?.[`${action}Response`]?.[member];
  return container === "" || container === undefined ? [] : container.item;
}

/** test/golden/ec2/<Action>/<name>.xml */
export function assertActionGolden(action: string, name: string, body: string): void {
  assertGolden(`ec2/${action}/${name}.xml`, body);
}
