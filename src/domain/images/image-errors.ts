/**
 * The errors EC2 answers the AMI actions with. Codes from "Error codes for the Amazon EC2 API";
 * messages as real EC2 writes them where a capture exists (cited), otherwise in the same form
 * (docs/behaviour.md#error-wording).
 */
import { DomainError } from "../errors.ts";

export const ImageErrorCode = {
  AuthFailure: "AuthFailure",
  InvalidAmiAttributeItemValue: "InvalidAMIAttributeItemValue",
  InvalidAmiIdMalformed: "InvalidAMIID.Malformed",
  InvalidAmiIdNotFound: "InvalidAMIID.NotFound",
  InvalidAmiNameDuplicate: "InvalidAMIName.Duplicate",
  InvalidAmiNameMalformed: "InvalidAMIName.Malformed",
  InvalidParameterCombination: "InvalidParameterCombination",
  InvalidParameterValue: "InvalidParameterValue",
  InvalidUserIdMalformed: "InvalidUserID.Malformed",
  MissingParameter: "MissingParameter",
  UnsupportedOperation: "UnsupportedOperation",
} as const;

/**
 * `The image id '[ami-039950f07c4a0d878]' does not exist` (AWS CLI output quoted in public scripts).
 * The brackets are a list's rendering, so several missing ids are listed inside them
 * (docs/behaviour.md#amis-and-account-defaults); for
 * one id this is byte-identical to resource-errors.ts imageNotFound, which RunInstances uses.
 */
export function imageNotFound(ids: readonly string[]): DomainError {
  return new DomainError(ImageErrorCode.InvalidAmiIdNotFound, `The image id '[${ids.join(", ")}]' does not exist`);
}

/**
 * `AuthFailure: Not authorized for image:ami-26ebbc5c`: real EC2's answer to DescribeImageAttribute
 * on an AMI the caller does not own (ansible issue log); EC2-compatible clouds answer Deregister the same.
 */
export function notAuthorizedForImage(id: string): DomainError {
  return new DomainError(ImageErrorCode.AuthFailure, `Not authorized for image:${id}`);
}

/** `AMI name X is already in use by AMI ami-...` (terraform logs of RegisterImage/CreateImage). */
export function duplicateImageName(name: string, existingId: string): DomainError {
  return new DomainError(ImageErrorCode.InvalidAmiNameDuplicate, `AMI name ${name} is already in use by AMI ${existingId}`);
}

export function missingParameter(name: string): DomainError {
  return new DomainError(ImageErrorCode.MissingParameter, `The request must contain the parameter ${name}`);
}

export function invalidValue(parameter: string, raw: string, why: string): DomainError {
  return new DomainError(ImageErrorCode.InvalidParameterValue, `Value (${raw}) for parameter ${parameter} is invalid. ${why}`);
}
