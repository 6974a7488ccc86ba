import assert from "node:assert/strict";
import { test } from "node:test";
import { seededRandom } from "../../test/support/ec2-harness.ts";
import type { EndpointAddress } from "../domain/instance/endpoint.ts";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import { uniformSources } from "../domain/instance/option-source.ts";
import { ManualClock } from "../platform/clock.ts";
import { StateStore } from "../store/state-store.ts";
import { EndpointAllocator } from "./endpoint-allocator.ts";
import { Estate } from "./estate.ts";
import { createIdSource } from "./instance-factory.ts";
import type { LiveEndpoints } from "./ports.ts";

/** Endpoints that open until `failFor` says no, recording what is open. */
function fakeEndpoints(failFor: (record: InstanceRecord) => boolean): LiveEndpoints & { open: Set<string> } {
  const open = new Set<string>();
  return {
    open,
    async attach(record: InstanceRecord, endpoint: EndpointAddress) {
      if (failFor(record)) throw Object.assign(new Error("listen EMFILE"), { code: "EMFILE" });
      open.add(record.instanceId);
      return endpoint;
    },
    async update() {},
    async detach(instanceId: string) {
      open.delete(instanceId);
    },
    has: (id: string) => open.has(id),
    url: (id: string) => (open.has(id) ? `http://${id}` : null),
    ipv6Url: () => null,
  };
}

function estateOver(store: StateStore, endpoints: LiveEndpoints): Estate {
  return new Estate({
    instances: store.instances,
    settings: store,
    transactions: store,
    endpoints,
    allocator: new EndpointAllocator(1338, "127.1.0.1"),
    clock: new ManualClock(),
    ids: createIdSource(seededRandom(5)),
  });
}

const SPEC = { accountId: "123456789012", region: "us-east-1", imageId: "ami-0abcdef1234567890", instanceType: "t3.micro", launchIndex: 0, reservationId: "r-1", launchTimeMs: 0 };

test("estate: a state file always loads; an instance whose endpoint cannot be opened is named and the others serve", async () => {
  const store = new StateStore({ path: ":memory:" });
  try {
    const first = estateOver(store, fakeEndpoints(() => false));
    const launched = await first.launchAll([SPEC, { ...SPEC, launchIndex: 1 }, { ...SPEC, launchIndex: 2 }], { optionSources: uniformSources({ level: "ec2-default" }) });
    const unlucky = launched[1]!.record.instanceId;
    const endpoints = fakeEndpoints((record) => record.instanceId === unlucky);
    const failures = await estateOver(store, endpoints).restore();
    assert.deepEqual(failures, [{ instanceId: unlucky, reason: "listen EMFILE" }]);
    assert.deepEqual([...endpoints.open].sort(), [launched[0]!.record.instanceId, launched[2]!.record.instanceId].sort());
    assert.equal(store.instances.list().length, 3, "nothing is dropped from the state file");
  } finally {
    store.close();
  }
});
