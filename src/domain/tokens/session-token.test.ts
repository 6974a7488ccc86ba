import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { createTokenMac } from "../../platform/crypto.ts";
import {
  issueToken,
  parseTokenTtl,
  TOKEN_LENGTH,
  TOKEN_NONCE_BYTES,
  tokenRemainingSeconds,
  verifyToken,
  type TokenMac,
} from "./session-token.ts";

const mac: TokenMac = createTokenMac(new Uint8Array(32).fill(1));
const INSTANCE = "i-0123456789abcdef0";
const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);

function nonce(fill = 0x5a): Uint8Array {
  return new Uint8Array(TOKEN_NONCE_BYTES).fill(fill);
}

function issue(ttlSeconds = 600, nowMs = NOW, instanceId = INSTANCE) {
  return issueToken({ instanceId, ttlSeconds, nowMs, nonce: nonce(), mac });
}

for (const [header, expected] of [
  ["1", 1],
  ["21600", 21600],
  ["600", 600],
  // Leading zeros: the header is still a decimal integer in range, so the code accepts it.
  ["007", 7],
] as const) {
  test(`parseTokenTtl: ${JSON.stringify(header)} is ${expected} seconds`, () => {
    assert.equal(parseTokenTtl(header), expected);
  });
}

for (const header of [undefined, "", "0", "00000", "21601", "99999", "100000", "abc", "1.5", " 5", "5 ", "+5", "-1", "1e3", "0x10", "٣"]) {
  test(`parseTokenTtl: ${JSON.stringify(header)} is refused (EC2 answers 400)`, () => {
    assert.equal(parseTokenTtl(header), null);
  });
}

test("parseTokenTtl: agrees with 'a decimal integer in 1..21600' for any string", () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 7 }), fc.integer({ min: -10, max: 30000 }).map(String)), (header) => {
      const isInRange = /^\d+$/.test(header) && Number(header) >= 1 && Number(header) <= 21600 && header.length <= 5;
      assert.equal(parseTokenTtl(header), isInRange ? Number(header) : null);
    }),
  );
});

test("issueToken: 56 URL-safe characters starting AQAEA and ending ==", () => {
  const { token } = issue();
  assert.equal(token.length, TOKEN_LENGTH);
  assert.equal(token.length, 56);
  assert.match(token, /^AQAEA[A-Za-z0-9_-]{49}==$/);
});

test("issueToken: expiry is now plus the TTL", () => {
  assert.equal(issue(21600).expiresAtMs, NOW + 21600 * 1000);
});

test("issueToken: different nonces give different tokens", () => {
  const a = issueToken({ instanceId: INSTANCE, ttlSeconds: 60, nowMs: NOW, nonce: nonce(1), mac });
  const b = issueToken({ instanceId: INSTANCE, ttlSeconds: 60, nowMs: NOW, nonce: nonce(2), mac });
  assert.notEqual(a.token, b.token);
});

test("issueToken: refuses a nonce of the wrong size", () => {
  assert.throws(() => issueToken({ instanceId: INSTANCE, ttlSeconds: 60, nowMs: NOW, nonce: new Uint8Array(9), mac }), RangeError);
});

test("verifyToken: a fresh token is valid and reports its expiry", () => {
  const issued = issue(600);
  assert.deepEqual(verifyToken(issued.token, { instanceId: INSTANCE, nowMs: NOW, mac }), { valid: true, expiresAtMs: issued.expiresAtMs });
});

test("verifyToken: valid one millisecond before expiry, expired exactly at expiry", () => {
  const issued = issue(600);
  assert.equal(verifyToken(issued.token, { instanceId: INSTANCE, nowMs: issued.expiresAtMs - 1, mac }).valid, true);
  assert.deepEqual(verifyToken(issued.token, { instanceId: INSTANCE, nowMs: issued.expiresAtMs, mac }), { valid: false, reason: "expired" });
});

test("verifyToken: a token is bound to the instance that issued it", () => {
  const issued = issue(600);
  assert.deepEqual(verifyToken(issued.token, { instanceId: "i-0fedcba9876543210", nowMs: NOW, mac }), { valid: false, reason: "forged" });
});

test("verifyToken: a token made with another key is forged", () => {
  const other = issueToken({ instanceId: INSTANCE, ttlSeconds: 600, nowMs: NOW, nonce: nonce(), mac: createTokenMac(new Uint8Array(32).fill(2)) });
  assert.deepEqual(verifyToken(other.token, { instanceId: INSTANCE, nowMs: NOW, mac }), { valid: false, reason: "forged" });
});

test("verifyToken: changing any byte after the header is forged", () => {
  const bytes = Buffer.from(issue(600).token.slice(0, -2), "base64url");
  for (let i = 4; i < bytes.length; i++) {
    const tampered = Buffer.from(bytes);
    tampered[i] = tampered[i]! ^ 0x01;
    const verdict = verifyToken(tampered.toString("base64url") + "==", { instanceId: INSTANCE, nowMs: NOW, mac });
    assert.deepEqual(verdict, { valid: false, reason: "forged" }, `byte ${i}`);
  }
});

test("verifyToken: extending the expiry inside a token is forged", () => {
  const bytes = Buffer.from(issue(1).token.slice(0, -2), "base64url");
  bytes[9] = 0xff;
  assert.deepEqual(verifyToken(bytes.toString("base64url") + "==", { instanceId: INSTANCE, nowMs: NOW, mac }), { valid: false, reason: "forged" });
});

test("verifyToken: changing any one character of a token never yields a valid token", () => {
  const { token } = issue(600);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=";
  for (let i = 0; i < token.length; i++) {
    for (const c of alphabet) {
      if (c === token[i]) continue;
      const altered = token.slice(0, i) + c + token.slice(i + 1);
      assert.equal(verifyToken(altered, { instanceId: INSTANCE, nowMs: NOW, mac }).valid, false, `position ${i} -> ${c}`);
    }
  }
});

for (const [name, garbage] of [
  ["empty", ""],
  ["short", "AQAEA=="],
  ["right length, no ==", "A".repeat(56)],
  ["standard base64 alphabet", "AQAEA" + "+".repeat(49) + "=="],
  ["wrong header", Buffer.alloc(40, 7).toString("base64url") + "=="],
  ["too long", issue().token + "A"],
  ["spaces", " ".repeat(54) + "=="],
] as const) {
  test(`verifyToken: ${name} is malformed`, () => {
    assert.deepEqual(verifyToken(garbage, { instanceId: INSTANCE, nowMs: NOW, mac }), { valid: false, reason: "malformed" });
  });
}

test("verifyToken: an issued token round-trips for any instance, TTL and nonce", () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 21600 }),
      fc.uint8Array({ minLength: TOKEN_NONCE_BYTES, maxLength: TOKEN_NONCE_BYTES }),
      fc.integer({ min: 0, max: 2 ** 46 }),
      (instanceId, ttl, n, nowMs) => {
        const issued = issueToken({ instanceId, ttlSeconds: ttl, nowMs, nonce: n, mac });
        assert.match(issued.token, /^AQAEA[A-Za-z0-9_-]{49}==$/);
        assert.deepEqual(verifyToken(issued.token, { instanceId, nowMs, mac }), { valid: true, expiresAtMs: issued.expiresAtMs });
      },
    ),
  );
});

test("tokenRemainingSeconds: a fresh 600 s token has 600 left", () => {
  const issued = issue(600);
  assert.equal(tokenRemainingSeconds(issued.expiresAtMs, NOW), 600);
});

test("tokenRemainingSeconds: 82 s into a 21600 s token, 21518 are left", () => {
  assert.equal(tokenRemainingSeconds(issue(21600).expiresAtMs, NOW + 82_000), 21518);
});

test("tokenRemainingSeconds: rounds a part second up, so a valid token never reports 0", () => {
  const { expiresAtMs } = issue(600);
  assert.equal(tokenRemainingSeconds(expiresAtMs, NOW + 1), 600);
  assert.equal(tokenRemainingSeconds(expiresAtMs, NOW + 599_001), 1);
  assert.equal(tokenRemainingSeconds(expiresAtMs, expiresAtMs - 1), 1);
});

test("tokenRemainingSeconds: 0 at and after expiry", () => {
  const { expiresAtMs } = issue(600);
  assert.equal(tokenRemainingSeconds(expiresAtMs, expiresAtMs), 0);
  assert.equal(tokenRemainingSeconds(expiresAtMs, expiresAtMs + 5_000), 0);
});
