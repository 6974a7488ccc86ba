import assert from "node:assert/strict";
import { test } from "node:test";
import { AccessLog, type ConnectionInfo } from "./access-log.ts";
import { CallerTable } from "./caller-table.ts";

function socket(port: number, address = "127.0.0.1") {
  return { remoteAddress: address, remotePort: port, localAddress: "127.1.0.2", localPort: 1338 };
}
const UA = (agent: string) => agent;

test("access-log: a ring that keeps the newest records, each with its User-Agent", () => {
  let now = 1000;
  const log = new AccessLog(3, () => now++);
  const s = socket(5000);
  for (const path of ["/a", "/b", "/c", "/d"]) log.record("i-1", "GET", path, 200, false, s, UA("curl/8"));
  assert.equal(log.written, 4);
  assert.equal(log.oldest, 1);
  assert.equal(log.get(0), undefined);
  const last = log.get(3)!;
  assert.deepEqual([last.path, last.version, last.status, last.timeMs, last.userAgent], ["/d", "v1", 200, 1003, "curl/8"]);
  assert.equal(last.connection.remotePort, 5000);
});

test("access-log: one connection record per socket, announced once", () => {
  const seen: ConnectionInfo[] = [];
  const log = new AccessLog(8, () => 0, (c) => seen.push(c));
  const a = socket(5000);
  const b = socket(5001);
  log.record("i-1", "GET", "/a", 200, false, a, undefined);
  log.record("i-1", "GET", "/a", 200, false, a, undefined);
  log.record("i-1", "PUT", "/latest/api/token", 200, true, b, undefined);
  assert.equal(seen.length, 2);
  assert.equal(log.get(0)!.connection, log.get(1)!.connection);
  assert.equal(log.get(0)!.connection.attribution, "pending");
});

test("access-log: size 0 records nothing", () => {
  const log = new AccessLog(0, () => 0);
  log.record("i-1", "GET", "/a", 200, false, socket(1), undefined);
  assert.equal(log.written, 0);
});

test("caller-table: folds per instance and caller, waits for attribution, and counts v1, rejected, v2 and token PUTs", () => {
  const log = new AccessLog(16, () => 5);
  const table = new CallerTable(log);
  const s = socket(6000);
  log.record("i-1", "GET", "/latest/meta-data/iam/security-credentials/", 200, false, s, UA("app/1"));
  log.record("i-1", "GET", "/latest/meta-data/iam/security-credentials/", 200, false, s, UA("app/1"));
  table.fold();
  assert.equal(table.backlog, 2, "nothing is folded while the connection's attribution is pending");
  const connection = log.get(0)!.connection;
  connection.attribution = "attributed";
  connection.process = { pid: 42, command: ["app"], comm: "app", startTime: 7, parents: [] };
  log.record("i-1", "PUT", "/latest/api/token", 200, true, s, UA("app/1"));
  log.record("i-1", "GET", "/latest/meta-data/ami-id", 200, true, s, UA("app/1"));
  log.record("i-1", "GET", "/latest/meta-data/ami-id", 401, false, s, UA("app/1"));
  log.record("i-1", "GET", "/nope", 404, false, s, UA("app/1"));
  table.fold();
  assert.equal(table.backlog, 0);
  const [caller] = table.observations();
  assert.equal(caller?.key, "process:42:7");
  assert.deepEqual(
    [caller?.v1Requests, caller?.v1Rejected, caller?.v2Requests, caller?.tokenPuts],
    [3, 1, 1, 1],
  );
  assert.deepEqual(caller?.v1Paths, [
    { path: "/latest/meta-data/iam/security-credentials/", count: 2 },
    { path: "/nope", count: 1 },
  ]);
});

test("caller-table: records the ring overwrote before a fold are counted as dropped; a forced fold takes pending ones", () => {
  const log = new AccessLog(2, () => 0);
  const table = new CallerTable(log);
  for (let i = 0; i < 5; i++) log.record("i-1", "GET", "/a", 200, false, socket(7000 + i), UA("x"));
  table.fold(true);
  assert.equal(table.dropped, 3);
  const callers = table.observations();
  assert.equal(callers.length, 1, "unattributed callers group by address and User-Agent");
  assert.equal(callers[0]?.key, "address:127.0.0.1|x");
  assert.equal(callers[0]?.attribution, "timeout");
  assert.equal(callers[0]?.v1Requests, 2);
});
