import assert from "node:assert/strict";
import { test } from "node:test";
import { cidrContains, estimateHopLimit, isLoopback, parseIp, parseSimulatedNetworks } from "./network-distance.ts";

test("network-distance: CIDRs match IPv4, IPv6 and IPv4-mapped addresses", () => {
  assert.equal(cidrContains("172.17.0.0/16", "172.17.3.4"), true);
  assert.equal(cidrContains("172.17.0.0/16", "172.18.0.1"), false);
  assert.equal(cidrContains("172.17.0.0/16", "::ffff:172.17.0.9"), true);
  assert.equal(cidrContains("fd00:ec2::/32", "fd00:ec2::254"), true);
  assert.equal(cidrContains("fd00:ec2::/32", "fd01::1"), false);
  assert.equal(cidrContains("0.0.0.0/0", "8.8.8.8"), true);
  assert.equal(parseIp("1.2.3.256"), null);
  assert.equal(parseIp("1::2::3"), null);
});

test("network-distance: --simulated-networks entries parse, bad ones are skipped", () => {
  assert.deepEqual(parseSimulatedNetworks("172.17.0.0/16=2, 10.0.0.0/8=3,bad=2,1.2.3.0/24=x"), [
    { cidr: "172.17.0.0/16", hops: 2 },
    { cidr: "10.0.0.0/8", hops: 3 },
  ]);
  assert.deepEqual(parseSimulatedNetworks(undefined), []);
});

test("network-distance: same host needs 1, a simulated network its distance, any other address one bridge (2)", () => {
  const context = { localAddresses: ["10.1.2.3"], simulatedNetworks: [{ cidr: "172.17.0.0/16", hops: 3 }] };
  assert.equal(estimateHopLimit({ remoteAddress: "127.0.0.1", ...context }).requiredHopLimit, 1);
  assert.equal(estimateHopLimit({ remoteAddress: "::ffff:10.1.2.3", ...context }).evidence, "same-host");
  assert.equal(estimateHopLimit({ remoteAddress: "172.17.0.2", ...context }).requiredHopLimit, 3);
  const remote = estimateHopLimit({ remoteAddress: "192.168.1.9", ...context });
  assert.deepEqual([remote.requiredHopLimit, remote.evidence], [2, "remote-address"]);
  assert.equal(isLoopback("127.1.0.2"), true);
  assert.equal(isLoopback("::1"), true);
});
