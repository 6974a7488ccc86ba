/**
 * The MAC address of an instance's primary network interface: six octets, as EC2 shows them in
 * `mac` and under `network/interfaces/macs/` (lower-case hex, colon-separated). The first octet
 * 0e is locally administered and unicast, like the addresses EC2 hands out; the last three carry
 * the instance's ordinal in the estate, so no two instances of one estate (and hence of one
 * region) share an address while the estate holds fewer than 16,777,216 instances.
 */
export const MAC_ORDINAL_SPACE = 0x1000000;

export function instanceMacAddress(ordinal: number, randomOctets: readonly [number, number]): string {
  if (!Number.isInteger(ordinal) || ordinal < 0) throw new RangeError(`ordinal must be a non-negative integer, got ${ordinal}`);
  const n = ordinal % MAC_ORDINAL_SPACE;
  const octets = [0x0e, randomOctets[0] & 0xff, randomOctets[1] & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return octets.map((o) => o.toString(16).padStart(2, "0")).join(":");
}
