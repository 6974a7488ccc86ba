import { DomainError } from "../errors.ts";

/**
 * ClientToken idempotency (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html):
 * "If you retry a request that completed successfully using the same client token and the same
 * parameters, the retry succeeds without performing any further actions. If you retry a
 * successful request using the same client token, but one or more of the parameters are
 * different, other than the Region or Availability Zone, the retry fails with an
 * IdempotentParameterMismatch error." Tokens are kept per account, Region and action.
 * See docs/behaviour.md#client-token.
 */
export interface ClientTokenKey {
  readonly accountId: string;
  readonly region: string;
  readonly action: string;
  readonly token: string;
}

/** What the first successful request with a token did: its parameters' fingerprint and the ids it created. */
export interface ClientTokenEntry {
  readonly fingerprint: string;
  readonly resourceIds: readonly string[];
}

export const IDEMPOTENT_PARAMETER_MISMATCH = "IdempotentParameterMismatch";
/** EC2's own sentence, as AWS CLI and SDK users see it. */
export const IDEMPOTENT_PARAMETER_MISMATCH_MESSAGE = "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).";
export const IDEMPOTENT_INSTANCE_TERMINATED = "IdempotentInstanceTerminated";
export const IDEMPOTENT_INSTANCE_TERMINATED_MESSAGE =
  "The client token you have provided is associated with a terminated instance. Please use a different client token.";

/** "A client token is a unique, case-sensitive string of up to 64 ASCII characters." */
export const MAX_CLIENT_TOKEN_LENGTH = 64;

export function checkClientToken(token: string): void {
  if (token.length === 0 || token.length > MAX_CLIENT_TOKEN_LENGTH || !/^[\x20-\x7e]+$/.test(token)) {
    throw new DomainError("InvalidParameterValue", `Value (${token}) for parameter ClientToken is invalid. A client token is up to ${MAX_CLIENT_TOKEN_LENGTH} ASCII characters.`);
  }
}

/** The ids the first request created when this one repeats it; undefined for a new token; throws on a mismatch. */
export function replayedResources(entry: ClientTokenEntry | undefined, fingerprint: string): readonly string[] | undefined {
  if (entry === undefined) return undefined;
  if (entry.fingerprint !== fingerprint) throw new DomainError(IDEMPOTENT_PARAMETER_MISMATCH, IDEMPOTENT_PARAMETER_MISMATCH_MESSAGE);
  return entry.resourceIds;
}
