/** Shared steps for the instance and tag action tests: launch through the API, read answers, snapshot state. */
import type { ImageRecord } from "../../src/domain/images/image.ts";
import type { LaunchTemplateData, LaunchTemplateRecord } from "../../src/domain/launch-templates/launch-template.ts";
import { expectOk, itemsOf, type CallResult } from "./ec2-answers.ts";
import { createEc2Harness, type Ec2Harness } from "./ec2-harness.ts";

export const PLAIN_IMAGE = "ami-0abcdef1234567890";
/** The public AL2023-like image with ImdsSupport=v2.0. */
export const V2_IMAGE = "ami-0a3c3a20c09d6f377";
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

/** A fresh seeded harness for one test (ids and request ids start over), closed afterwards. */
export async function withHarness(fn: (harness: Ec2Harness) => Promise<void>, options: Parameters<typeof createEc2Harness>[0] = {}): Promise<void> {
  const harness = await createEc2Harness(options);
  try {
    await fn(harness);
  } finally {
    await harness.close();
  }
}

/** RunInstances of the plain image (1 instance unless given); returns the new instance ids. */
export async function launch(harness: Ec2Harness, params: Record<string, string> = {}, options: { region?: string } = {}): Promise<string[]> {
  const result = await harness.call("RunInstances", { ImageId: PLAIN_IMAGE, MinCount: "1", MaxCount: "1", ...params }, options);
  expectOk(result);
  return itemsOf(result, "RunInstances", "instancesSet").map((i) => String(i.instanceId));
}

/** The instances of one DescribeInstances answer, flattened across reservations. */
export function describedInstances(result: CallResult): any[] {
  return itemsOf(result, "DescribeInstances", "reservationSet").flatMap((r) => (r.instancesSet === "" ? [] : r.instancesSet.item));
}

/** Everything a call could write, as one comparable string. */
export function stateSnapshot(harness: Ec2Harness): string {
  return JSON.stringify({
    instances: harness.store.instances.list(),
    images: harness.store.images.list(),
    templates: harness.store.launchTemplates.list(),
    defaults: harness.store.accountDefaultsScopes(),
  });
}

/** Stores a launch template directly (the launch template actions are another unit). */
export function putTemplate(
  harness: Ec2Harness,
  template: { id: string; name: string; versions: LaunchTemplateData[]; defaultVersion?: number; region?: string },
): LaunchTemplateRecord {
  const record: LaunchTemplateRecord = {
    templateId: template.id,
    templateName: template.name,
    accountId: ACCOUNT,
    region: template.region ?? REGION,
    createTime: "2026-11-29T12:00:00.000Z",
    createdBy: `arn:aws:iam::${ACCOUNT}:root`,
    defaultVersionNumber: template.defaultVersion ?? 1,
    latestVersionNumber: template.versions.length,
    versions: template.versions.map((data, i) => ({ versionNumber: i + 1, createTime: "2026-11-29T12:00:00.000Z", data })),
    tags: [],
  };
  harness.store.launchTemplates.put(record);
  return record;
}

/** Stores an image owned by the test account (the image actions are another unit). */
export function putImage(harness: Ec2Harness, image: Partial<ImageRecord> & { imageId: string }): ImageRecord {
  const record: ImageRecord = {
    ownerId: ACCOUNT,
    region: REGION,
    name: `image-${image.imageId}`,
    description: "",
    architecture: "x86_64",
    imdsSupport: null,
    state: "available",
    isPublic: false,
    creationDate: "2026-11-01T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
    tags: [],
    ...image,
  };
  harness.store.images.put(record);
  return record;
}
