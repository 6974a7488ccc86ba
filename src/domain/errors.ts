/**
 * A rule was broken. `code` is the code real EC2 answers with (InvalidParameterValue,
 * UnsupportedOperation, ...); each protocol maps it onto its wire once.
 */
export class DomainError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "DomainError";
    this.code = code;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
