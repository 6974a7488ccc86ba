/**
 * EC2 resource id formats: the short (8 hex digits) and long (17 hex digits) forms for instances,
 * 8 to 17 hex digits for AMIs (ids grew in 2018, boto/boto3#1505), 17 for launch templates.
 */
const INSTANCE_ID = /^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const IMAGE_ID = /^ami-[0-9a-f]{8,17}$/;
const LAUNCH_TEMPLATE_ID = /^lt-[0-9a-f]{17}$/;

export function isInstanceId(id: string): boolean {
  return INSTANCE_ID.test(id);
}

export function isImageId(id: string): boolean {
  return IMAGE_ID.test(id);
}

export function isLaunchTemplateId(id: string): boolean {
  return LAUNCH_TEMPLATE_ID.test(id);
}

export type TaggableResourceType = "instance" | "image" | "launch-template";

/** What a tagging call's ResourceId names, judged by its prefix as EC2 does; null when no type we keep. */
export function taggableResourceType(id: string): TaggableResourceType | null {
  if (id.startsWith("i-")) return "instance";
  if (id.startsWith("ami-")) return "image";
  if (id.startsWith("lt-")) return "launch-template";
  return null;
}
