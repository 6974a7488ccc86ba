/**
 * RunInstances `UserData`: base64 on the wire ("User data must be base64-encoded", EC2 API reference, RunInstances), at most
 * 16 KB "in raw form, before it is base64-encoded" (UG user data). Messages as EC2 sends them
 * (`Invalid BASE64 encoding of user data.`, `User data is limited to 16384 bytes`), as quoted in
 * public issue threads.
 */
import { DomainError } from "../errors.ts";

export const MAX_USER_DATA_BYTES = 16384;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// MIME-style line breaks are tolerated, as Java's MIME decoder tolerates them.
const LINE_BREAKS = /[\r\n]/g;

/** The byte count `base64` decodes to; `base64` must already be valid. */
export function decodedLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/** Canonical base64 (line breaks removed), null for empty user data, or InvalidParameterValue. */
export function parseUserData(raw: string): string | null {
  const base64 = raw.replace(LINE_BREAKS, "");
  if (base64 === "") return null;
  if (!BASE64.test(base64)) throw new DomainError("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
  if (decodedLength(base64) > MAX_USER_DATA_BYTES) {
    throw new DomainError("InvalidParameterValue", `User data is limited to ${MAX_USER_DATA_BYTES} bytes`);
  }
  return base64;
}
