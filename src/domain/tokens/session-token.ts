/**
 * IMDSv2 session tokens. A token is opaque to clients but looks like a real one: 56 characters of
 * URL-safe base64 that start with "AQAEA" and end in "==". Inside: a fixed header, the expiry
 * instant, a nonce, and a MAC over those and the instance id, so a token is unforgeable and is
 * refused by every instance but the one that issued it (EC2: "The token is not valid on other
 * EC2 instances"). The MAC itself is injected: the domain does no cryptography and no I/O.
 */

export const TOKEN_TTL_MIN_SECONDS = 1;
export const TOKEN_TTL_MAX_SECONDS = 21600;

const HEADER = [0x01, 0x00, 0x04, 0x00] as const;
const EXPIRY_BYTES = 6;
export const TOKEN_NONCE_BYTES = 10;
export const TOKEN_MAC_BYTES = 20;
const SIGNED_BYTES = HEADER.length + EXPIRY_BYTES + TOKEN_NONCE_BYTES;
const TOKEN_BYTES = SIGNED_BYTES + TOKEN_MAC_BYTES;
export const TOKEN_LENGTH = 56;

/** Keyed MAC of the token bytes plus the instance id; `equal` must compare in constant time. */
export interface TokenMac {
  mac(signed: Uint8Array, instanceId: string): Uint8Array;
  equal(a: Uint8Array, b: Uint8Array): boolean;
}

/**
 * The TTL header of a token PUT, or null when it is missing or not an integer in 1..21600
 * (EC2 answers those with 400).
 */
export function parseTokenTtl(header: string | undefined): number | null {
  if (header === undefined || header.length === 0 || header.length > 5) return null;
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const ttl = Number(header);
  return ttl >= TOKEN_TTL_MIN_SECONDS && ttl <= TOKEN_TTL_MAX_SECONDS ? ttl : null;
}

export interface IssuedToken {
  readonly token: string;
  readonly expiresAtMs: number;
}

export function issueToken(args: {
  instanceId: string;
  ttlSeconds: number;
  nowMs: number;
  nonce: Uint8Array;
  mac: TokenMac;
}): IssuedToken {
  if (args.nonce.length !== TOKEN_NONCE_BYTES) throw new RangeError(`nonce must be ${TOKEN_NONCE_BYTES} bytes`);
  const expiresAtMs = args.nowMs + args.ttlSeconds * 1000;
  const bytes = new Uint8Array(TOKEN_BYTES);
  bytes.set(HEADER, 0);
  writeUint48(bytes, HEADER.length, expiresAtMs);
  bytes.set(args.nonce, HEADER.length + EXPIRY_BYTES);
  const signed = bytes.subarray(0, SIGNED_BYTES);
  bytes.set(args.mac.mac(signed, args.instanceId).subarray(0, TOKEN_MAC_BYTES), SIGNED_BYTES);
  return { token: Buffer.from(bytes).toString("base64url") + "==", expiresAtMs };
}

export type TokenVerdict =
  | { readonly valid: true; readonly expiresAtMs: number }
  | { readonly valid: false; readonly reason: "malformed" | "forged" | "expired" };

export function verifyToken(
  token: string,
  args: { instanceId: string; nowMs: number; mac: TokenMac },
): TokenVerdict {
  if (token.length !== TOKEN_LENGTH || !token.endsWith("==")) return { valid: false, reason: "malformed" };
  const body = token.slice(0, TOKEN_LENGTH - 2);
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return { valid: false, reason: "malformed" };
  const decoded = Buffer.from(body, "base64url");
  // 40 bytes leave 4 spare bits in the last character; only the spelling we issued is the token,
  // not the 15 others that decode to the same bytes.
  if (decoded.length !== TOKEN_BYTES || decoded.toString("base64url") !== body) return { valid: false, reason: "malformed" };
  const bytes = new Uint8Array(decoded);
  for (let i = 0; i < HEADER.length; i++) {
    if (bytes[i] !== HEADER[i]) return { valid: false, reason: "malformed" };
  }
  const expected = args.mac.mac(bytes.subarray(0, SIGNED_BYTES), args.instanceId).subarray(0, TOKEN_MAC_BYTES);
  if (!args.mac.equal(expected, bytes.subarray(SIGNED_BYTES))) return { valid: false, reason: "forged" };
  const expiresAtMs = readUint48(bytes, HEADER.length);
  if (args.nowMs >= expiresAtMs) return { valid: false, reason: "expired" };
  return { valid: true, expiresAtMs };
}

/**
 * Seconds a token has left, as EC2 echoes them on token-bearing GETs (a fresh 600 s token
 * answers 600). Rounded up, so a token that is still valid never reports 0.
 */
export function tokenRemainingSeconds(expiresAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((expiresAtMs - nowMs) / 1000));
}

function writeUint48(target: Uint8Array, offset: number, value: number): void {
  let v = value;
  for (let i = EXPIRY_BYTES - 1; i >= 0; i--) {
    target[offset + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

function readUint48(source: Uint8Array, offset: number): number {
  let v = 0;
  for (let i = 0; i < EXPIRY_BYTES; i++) v = v * 256 + (source[offset + i] ?? 0);
  return v;
}
