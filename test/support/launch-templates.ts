/** Shared steps for the launch template action tests: create through the API, snapshot state. */
import { expectOk } from "./ec2-answers.ts";
import type { Ec2Harness } from "./ec2-harness.ts";

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
  expectOk(result);
  return String(result.xml.CreateLaunchTemplateResponse.launchTemplate.launchTemplateId);
}

export async function createVersion(harness: Ec2Harness, templateId: string, params: Record<string, string>): Promise<number> {
  const result = await harness.call("CreateLaunchTemplateVersion", { LaunchTemplateId: templateId, ...params });
  expectOk(result);
  return Number(result.xml.CreateLaunchTemplateVersionResponse.launchTemplateVersion.versionNumber);
}
