import { createHmac, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";
import { TOKEN_MAC_BYTES, TOKEN_NONCE_BYTES, type TokenMac } from "../domain/tokens/session-token.ts";

/** HMAC-SHA256 over the token bytes and the instance id, compared in constant time. */
export function createTokenMac(key: Uint8Array = randomBytes(32)): TokenMac {
  return {
    mac(signed, instanceId) {
      return createHmac("sha256", key).update(signed).update(instanceId, "utf8").digest().subarray(0, TOKEN_MAC_BYTES);
    },
    equal(a, b) {
      return a.length === b.length && timingSafeEqual(a, b);
    },
  };
}

/** Nonces drawn from a pooled buffer, so issuing a token does not ask the kernel each time. */
export function createNonceSource(): () => Uint8Array {
  const pool = Buffer.alloc(TOKEN_NONCE_BYTES * 512);
  let offset = pool.length;
  return () => {
    if (offset + TOKEN_NONCE_BYTES > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const nonce = pool.subarray(offset, offset + TOKEN_NONCE_BYTES);
    offset += TOKEN_NONCE_BYTES;
    return nonce;
  };
}

export interface RandomSource {
  bytes(count: number): Uint8Array;
}

export const systemRandom: RandomSource = { bytes: (count) => randomBytes(count) };
