import assert from "node:assert/strict";
import { test } from "node:test";
import { instanceMacAddress } from "./mac-address.ts";

test("mac address: six lower-case octets, locally administered unicast 0e first", () => {
  const mac = instanceMacAddress(258, [0xab, 0x01]);
  assert.equal(mac, "0e:ab:01:00:01:02");
  assert.match(mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
});

test("mac address: distinct ordinals never share an address, whatever the random octets", () => {
  const seen = new Set<string>();
  for (let ordinal = 0; ordinal < 5000; ordinal++) seen.add(instanceMacAddress(ordinal, [0x12, 0x34]));
  assert.equal(seen.size, 5000);
});

test("mac address: a negative or fractional ordinal is a programming error", () => {
  assert.throws(() => instanceMacAddress(-1, [0, 0]), RangeError);
  assert.throws(() => instanceMacAddress(1.5, [0, 0]), RangeError);
});
