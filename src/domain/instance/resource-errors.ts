/**
 * EC2's own errors for ids that are malformed or name nothing, worded as real EC2 words them
 * where a capture exists:
 * - `InvalidInstanceID.Malformed: Invalid id: "ma1"` (ClusterLabs/cluster-glue#29);
 * - `InvalidInstanceID.NotFound: The instance ID 'i-1a2b3c4d' does not exist`, plural form
 *   `The instance IDs 'i-1, i-2' do not exist` (EC2 error-code page examples);
 * - `InvalidAMIID.Malformed: Invalid id: "{var.ami_id}" (expecting "ami-...")` (hashicorp/terraform#22172);
 * NotFound for images and launch templates are the images' and launch templates' own errors
 * (domain/images/image-errors.ts, domain/launch-templates/launch-template-errors.ts). The launch
 * template Malformed one and IncorrectInstanceState for stop/modify are ours
 * (docs/behaviour.md#error-wording).
 */
import { DomainError } from "../errors.ts";

export function instanceIdMalformed(id: string): DomainError {
  return new DomainError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`);
}

export function instancesNotFound(ids: readonly string[]): DomainError {
  const message =
    ids.length === 1 ? `The instance ID '${ids[0]}' does not exist` : `The instance IDs '${ids.join(", ")}' do not exist`;
  return new DomainError("InvalidInstanceID.NotFound", message);
}

export function imageIdMalformed(id: string): DomainError {
  return new DomainError("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`);
}

export function launchTemplateIdMalformed(id: string): DomainError {
  return new DomainError("InvalidLaunchTemplateId.Malformed", `Invalid id: "${id}" (expecting "lt-...")`);
}

/**
 * No endpoint could be opened for an instance of the launch (file descriptors or loopback
 * addresses ran out): EC2's code for "not enough capacity to fulfill your request", with the
 * sentence of the user guide's "Insufficient instance capacity" troubleshooting
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/troubleshooting-launch.html#troubleshooting-launch-capacity).
 */
export function insufficientInstanceCapacity(instanceType: string, availabilityZone: string): DomainError {
  return new DomainError(
    "InsufficientInstanceCapacity",
    `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${availabilityZone}). ` +
      "Our system will be working on provisioning additional capacity.",
  );
}

/** `The instance 'i-...' is not in a state from which it can be started.` (canonical/ubuntu-pro-client#1697). */
export function incorrectInstanceState(id: string, operation: "started" | "stopped" | "modified"): DomainError {
  return new DomainError("IncorrectInstanceState", `The instance '${id}' is not in a state from which it can be ${operation}.`);
}

/** Any other id a tagging call cannot resolve to a resource: `InvalidID: The ID 'x' is not valid` (docs/behaviour.md#error-wording). */
export function invalidResourceId(id: string): DomainError {
  return new DomainError("InvalidID", `The ID '${id}' is not valid`);
}
