import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../errors.ts";
import { decodedLength, MAX_USER_DATA_BYTES, parseUserData } from "./user-data.ts";

const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");

test("user-data: canonical base64 passes, MIME line breaks are dropped, empty means none", () => {
  assert.equal(parseUserData("aGVsbG8="), "aGVsbG8=");
  assert.equal(parseUserData("aGVs\r\nbG8="), "aGVsbG8=");
  assert.equal(parseUserData(""), null);
});

test("user-data: decoded length follows the padding", () => {
  for (const n of [0, 1, 2, 3, 4, 5, 100]) assert.equal(decodedLength(b64(n)), n);
});

test("user-data: anything but base64 is InvalidParameterValue", () => {
  for (const raw of ["aGVsbG8", "a===", "aGVs bG8=", "aGVsbG8=x", "*"]) {
    assert.throws(() => parseUserData(raw), (e: DomainError) => e.code === "InvalidParameterValue" && e.message === "Invalid BASE64 encoding of user data.", raw);
  }
});

test("user-data: 16384 raw bytes pass, one more is refused", () => {
  assert.ok(parseUserData(b64(MAX_USER_DATA_BYTES)));
  assert.throws(() => parseUserData(b64(MAX_USER_DATA_BYTES + 1)), /User data is limited to 16384 bytes/);
});
