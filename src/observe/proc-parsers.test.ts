import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeEndpoint, findClientSocket, parseCgroupContainer, parseCmdline, parseProcStat, parseStatusUid } from "./proc-parsers.ts";

// Rows as a little-endian kernel prints them: both ends of 127.0.0.1:54321 <-> 127.1.0.2:1338.
const TCP = [
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
  "   0: 0200017F:053A 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1111 1 0000000000000000 100 0 0 10 0",
  "   1: 0200017F:053A 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 2222 1 0000000000000000 20 4 30 10 -1",
  "   2: 0100007F:D431 0200017F:053A 01 00000000:00000000 00:00000000 00000000  1001        0 3333 1 0000000000000000 20 4 30 10 -1",
  "   3: 0100007F:D432 0200017F:053A 06 00000000:00000000 03:00001234 00000000     0        0 0 3 0000000000000000",
].join("\n");

test("proc-parsers: addresses and ports are encoded as the kernel prints them, in either byte order", () => {
  assert.equal(encodeEndpoint("127.0.0.1", 54321, 4, true), "0100007F:D431");
  assert.equal(encodeEndpoint("127.0.0.1", 80, 4, false), "7F000001:0050");
  assert.equal(encodeEndpoint("::1", 80, 6, true), "00000000000000000000000001000000:0050");
  assert.equal(encodeEndpoint("127.0.0.1", 80, 6, true), "0000000000000000FFFF00000100007F:0050");
  assert.equal(encodeEndpoint("::ffff:127.0.0.1", 80, 4, true), "0100007F:0050");
  assert.equal(encodeEndpoint("2001:db8::1", 80, 6, true), "B80D0120000000000000000001000000:0050");
  assert.equal(encodeEndpoint("::1", 80, 4, true), null);
});

test("proc-parsers: the client's socket is the row whose local end is the request's remote end", () => {
  const tables = { tcp: TCP, tcp6: null };
  const server = { address: "127.1.0.2", port: 1338 };
  // The server's own end of the same connection (row 1) is not it.
  assert.deepEqual(findClientSocket(tables, { address: "::ffff:127.0.0.1", port: 54321 }, server, true), { uid: 1001, inode: 3333 });
  // A connection in TIME_WAIT has no owner any more: inode 0.
  assert.equal(findClientSocket(tables, { address: "127.0.0.1", port: 54322 }, server, true)?.inode, 0);
  assert.equal(findClientSocket(tables, { address: "127.0.0.1", port: 1 }, server, true), undefined);
  // A dual-stack client socket is listed in tcp6 with a v4-mapped address.
  const tcp6 =
    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
    "   0: 0000000000000000FFFF00000100007F:D431 0000000000000000FFFF00000200017F:053A 01 00000000:00000000 00:00000000 00000000  1002        0 5555 1 0\n";
  assert.deepEqual(findClientSocket({ tcp: "", tcp6 }, { address: "127.0.0.1", port: 54321 }, server, true), { uid: 1002, inode: 5555 });
});

test("proc-parsers: stat keeps a command name with spaces and parentheses; ppid and start time are found after it", () => {
  const fields = Array.from({ length: 50 }, (_, i) => String(i));
  fields[0] = "S";
  fields[1] = "77";
  fields[19] = "987654";
  assert.deepEqual(parseProcStat(`4242 (my (odd) app) ${fields.join(" ")}`), { pid: 4242, comm: "my (odd) app", ppid: 77, startTime: 987654 });
  assert.equal(parseProcStat("garbage"), null);
});

test("proc-parsers: cmdline splits on NUL; status gives the real uid", () => {
  assert.deepEqual(parseCmdline("python3\0-c\0print(1)\0"), ["python3", "-c", "print(1)"]);
  assert.deepEqual(parseCmdline(""), []);
  assert.equal(parseStatusUid("Name:\tx\nUid:\t1000\t1000\t1000\t1000\n"), 1000);
});

test("proc-parsers: cgroup paths name docker, containerd, cri-o, podman and Kubernetes pods; a plain slice names none", () => {
  const id = "3f2a9c0d1e2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f";
  assert.deepEqual(parseCgroupContainer(`0::/system.slice/docker-${id}.scope\n`), { runtime: "docker", id });
  assert.deepEqual(parseCgroupContainer(`12:memory:/docker/${id}\n`), { runtime: "docker", id });
  assert.deepEqual(parseCgroupContainer(`0::/machine.slice/libpod-${id}.scope\n`), { runtime: "podman", id });
  assert.deepEqual(parseCgroupContainer(`0::/system.slice/crio-${id}.scope\n`), { runtime: "cri-o", id });
  assert.deepEqual(
    parseCgroupContainer(`0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1a2b3c4d_5e6f_7a8b_9c0d_1e2f3a4b5c6d.slice/cri-containerd-${id}.scope\n`),
    { runtime: "kubernetes", id, podUid: "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d" },
  );
  assert.equal(parseCgroupContainer("0::/user.slice/user-1000.slice/session-2.scope\n"), undefined);
  assert.equal(parseCgroupContainer("4:memory:/process_api/11b7aa4dc7715fd9e8f40b631031ede2\n0::/\n"), undefined);
});
