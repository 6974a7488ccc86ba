/**
 * The errors EC2 answers about launch templates, as DomainErrors with EC2's own codes.
 *
 * Wording marked [AWS] was captured from real EC2 (moto's `@aws_verified` tests in
 * tests/test_ec2/test_launch_templates.py, and client logs quoted in karpenter-provider-aws#5665,
 * eksctl#7786, github-aws-runners#1382). Other wording is ours, in EC2's style (docs/behaviour.md#error-wording).
 */
import { DomainError } from "../errors.ts";

export const LaunchTemplateErrorCode = {
  IdMalformed: "InvalidLaunchTemplateId.Malformed",
  IdNotFound: "InvalidLaunchTemplateId.NotFound",
  VersionNotFound: "InvalidLaunchTemplateId.VersionNotFound",
  NameAlreadyExists: "InvalidLaunchTemplateName.AlreadyExistsException",
  NameMalformed: "InvalidLaunchTemplateName.MalformedException",
  NameNotFound: "InvalidLaunchTemplateName.NotFoundException",
} as const;

/** [AWS] DescribeLaunchTemplateVersions, DeleteLaunchTemplate, ... with an unknown id. */
export function launchTemplateIdNotFound(templateId: string): DomainError {
  return new DomainError(LaunchTemplateErrorCode.IdNotFound, `The specified launch template, with template ID ${templateId}, does not exist.`);
}

/** [AWS] The same for a name. */
export function launchTemplateNameNotFound(name: string): DomainError {
  return new DomainError(LaunchTemplateErrorCode.NameNotFound, `The specified launch template, with template name ${name}, does not exist.`);
}

/**
 * [AWS] DescribeLaunchTemplates answers a list naming an unknown template with one sentence for
 * all of them (captured for names; the same sentence under the id code is ours: docs/behaviour.md#error-wording).
 */
export function someLaunchTemplatesNotFound(byName: boolean): DomainError {
  return new DomainError(
    byName ? LaunchTemplateErrorCode.NameNotFound : LaunchTemplateErrorCode.IdNotFound,
    "At least one of the launch templates specified in the request does not exist.",
  );
}

/** [AWS] A version that a template does not have (DescribeLaunchTemplateVersions, launches). */
export function launchTemplateVersionNotFound(templateId: string, version: string): DomainError {
  return new DomainError(
    LaunchTemplateErrorCode.VersionNotFound,
    `Could not find the specified version ${version} for the launch template with ID ${templateId}.`,
  );
}

/** [AWS] ModifyLaunchTemplate words the same failure differently. */
export function defaultVersionNotFound(version: string): DomainError {
  return new DomainError(
    LaunchTemplateErrorCode.VersionNotFound,
    `The launch template version ${version} is not found for the specified launch template.`,
  );
}

/** [AWS] */
export function launchTemplateNameInUse(): DomainError {
  return new DomainError(LaunchTemplateErrorCode.NameAlreadyExists, "Launch template name already in use.");
}

/** [AWS] as a client log shows it (github-aws-runners#932). */
export function launchTemplateNameMalformed(): DomainError {
  return new DomainError(
    LaunchTemplateErrorCode.NameMalformed,
    "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.",
  );
}

/** EC2's form for other malformed ids, `Invalid id: "ig-1" (expecting "i-...")` (docs/behaviour.md#error-wording). */
export function launchTemplateIdMalformed(templateId: string): DomainError {
  return new DomainError(LaunchTemplateErrorCode.IdMalformed, `Invalid id: "${templateId}" (expecting "lt-...")`);
}
