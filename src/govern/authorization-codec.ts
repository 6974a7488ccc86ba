/**
 * The "encoded authorization failure message". AWS encrypts it so that only callers allowed
 * `sts:DecodeAuthorizationMessage` can read it; the emulator only compresses it (raw deflate,
 * base64url), so `imds-lab decode-message` works offline. Nothing in it is secret here.
 */
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { DomainError } from "../domain/errors.ts";
import type { DecodedAuthorizationMessage } from "../domain/policy/authorization-message.ts";

/** STS's error for a message it can't decode (STS API reference, DecodeAuthorizationMessage). */
export const INVALID_AUTHORIZATION_MESSAGE = "InvalidAuthorizationMessageException";
const PREFIX = "imdslab1.";

export function encodeAuthorizationMessage(message: DecodedAuthorizationMessage): string {
  return PREFIX + deflateRawSync(Buffer.from(JSON.stringify(message))).toString("base64url");
}

export function decodeAuthorizationMessage(encoded: string): DecodedAuthorizationMessage {
  const text = encoded.trim();
  const invalid = () => new DomainError(INVALID_AUTHORIZATION_MESSAGE, "The authorization message is not valid: it was not issued by imds-lab or was truncated.");
  if (!text.startsWith(PREFIX)) throw invalid();
  try {
    return JSON.parse(inflateRawSync(Buffer.from(text.slice(PREFIX.length), "base64url")).toString("utf8")) as DecodedAuthorizationMessage;
  } catch {
    throw invalid();
  }
}
