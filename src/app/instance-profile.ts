/**
 * RunInstances `IamInstanceProfile.Name` / `.Arn`. The emulator keeps no IAM: the role an instance
 * serves credentials for is named like its profile, as the console creates them. Messages follow
 * EC2's `Value (x) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`.
 */
import { DomainError } from "../domain/errors.ts";

export interface InstanceProfileRequest {
  readonly name?: string | undefined;
  readonly arn?: string | undefined;
}

export interface InstanceProfile {
  readonly name: string;
  /** Only when the request gave an ARN; otherwise the factory derives it from account and name. */
  readonly arn: string | null;
}

/** IAM's own pattern for instance profile names ([\w+=,.@-]+, 1-128). */
const PROFILE_NAME = /^[\w+=,.@-]{1,128}$/;
const PROFILE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:instance-profile\/(?:[\x21-\x7e]*\/)?([\w+=,.@-]{1,128})$/;

export function resolveInstanceProfile(request: InstanceProfileRequest | undefined): InstanceProfile | null {
  if (request === undefined || (request.name === undefined && request.arn === undefined)) return null;
  const { name, arn } = request;
  if (name !== undefined && !PROFILE_NAME.test(name)) {
    throw new DomainError(
      "InvalidParameterValue",
      `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`,
    );
  }
  if (arn === undefined) return { name: name!, arn: null };
  const fromArn = PROFILE_ARN.exec(arn)?.[1];
  if (fromArn === undefined) {
    throw new DomainError("InvalidParameterValue", `Value (${arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`);
  }
  if (name !== undefined && name !== fromArn) {
    throw new DomainError(
      "InvalidParameterCombination",
      `The IAM instance profile name (${name}) does not match the name in the IAM instance profile ARN (${arn}).`,
    );
  }
  return { name: fromArn, arn };
}
