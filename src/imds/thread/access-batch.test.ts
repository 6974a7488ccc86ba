import assert from "node:assert/strict";
import { test } from "node:test";
import type { ImdsAccess } from "../imds-access.ts";
import type { ImdsAccessEvent } from "../request-handler.ts";
import { ACCESS_SLOTS, AccessBatcher, AccessUnbatcher, type AccessBatch } from "./access-batch.ts";

function event(socket: object, path: string): ImdsAccessEvent {
  return {
    runtime: { record: { instanceId: "i-0123456789abcdef0" } },
    request: { method: "GET", socket, rawHeaders: ["User-Agent", "curl/8.5.0"] },
    path,
    status: 200,
    version: "v1",
  } as unknown as ImdsAccessEvent;
}

const socketOf = (port: number) => ({ remoteAddress: "127.0.0.1", remotePort: port, localAddress: "127.0.0.1", localPort: 1338 });
const CALLER = { status: "attributed" as const, process: { pid: 4242, command: ["curl", "http://x"], comm: "curl", startTime: 1, parents: [] } };

function pair() {
  const shared = new Int32Array(new SharedArrayBuffer(4 * ACCESS_SLOTS));
  const batches: AccessBatch[] = [];
  const delivered: ImdsAccess[] = [];
  const late = new Set<object>();
  const names = new Map<object, typeof CALLER>();
  const batcher = new AccessBatcher((b) => batches.push(b), shared, (s) => names.get(s), (s) => late.has(s));
  const unbatcher = new AccessUnbatcher((a) => delivered.push(a), shared);
  const deliver = () => {
    batcher.flush();
    for (const b of batches.splice(0)) unbatcher.receive(b);
  };
  return { batcher, deliver, delivered, late, names };
}

test("access-batch: a connection's caller named in the IMDS thread arrives with its first event", () => {
  const { batcher, deliver, delivered, names } = pair();
  const socket = socketOf(50000);
  names.set(socket, CALLER);
  batcher.add(event(socket, "/latest/meta-data/ami-id"), 1);
  deliver();
  assert.deepEqual(delivered[0]?.connection.attribution, CALLER);
});

test("access-batch: events of a connection still being named are held until it is, then carry the name", () => {
  const { batcher, deliver, delivered, late, names } = pair();
  const slow = socketOf(50001);
  const other = socketOf(50002);
  late.add(slow);
  batcher.add(event(slow, "/a"), 1);
  batcher.add(event(other, "/b"), 2);
  deliver();
  assert.deepEqual(
    delivered.map((a) => a.path),
    ["/b"],
  );
  late.delete(slow);
  names.set(slow, CALLER);
  batcher.release(slow);
  deliver();
  assert.deepEqual(
    delivered.map((a) => a.path),
    ["/b", "/a"],
  );
  assert.deepEqual(delivered[1]?.connection.attribution, CALLER);
  assert.equal(delivered[1]?.timeMs, 1, "the time it was answered");
});
