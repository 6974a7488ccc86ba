import assert from "node:assert/strict";
import { test } from "node:test";
import { ProcessAttributor, type ProcReader } from "./process-attributor.ts";

const ID = "3f2a9c0d1e2b3a4f5e6d7c8b9a0f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f";

function stat(pid: number, comm: string, ppid: number, start: number): string {
  const rest = Array.from({ length: 40 }, () => "0");
  rest[0] = "S";
  rest[1] = String(ppid);
  rest[19] = String(start);
  return `${pid} (${comm}) ${rest.join(" ")}`;
}

/** A /proc with: 1 init, 200 a shell, 300 a python app in a docker container holding socket 3333. */
function fakeProc(files: Record<string, string>, links: Record<string, string>, reads: string[] = []): ProcReader {
  return {
    async readFile(path) {
      reads.push(path);
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      return text;
    },
    async readdir(path) {
      reads.push(path);
      const prefix = path.endsWith("/") ? path : `${path}/`;
      const names = new Set<string>();
      for (const key of [...Object.keys(files), ...Object.keys(links)]) {
        if (key.startsWith(prefix)) names.add(key.slice(prefix.length).split("/")[0]!);
      }
      if (names.size === 0) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      return [...names];
    },
    async readlink(path) {
      const link = links[path];
      if (link === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
      return link;
    },
    async ownerUid(path) {
      reads.push(`uid ${path}`);
      return path === "/p/300" ? 1000 : 0;
    },
  };
}

const TCP =
  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
  "   0: 0100007F:D431 0200017F:053A 01 00000000:00000000 00:00000000 00000000  1000        0 3333 1 0\n" +
  "   1: 0100007F:D432 0200017F:053A 06 00000000:00000000 00:00000000 00000000     0        0 0 1 0\n" +
  "   2: 0100007F:D433 0200017F:053A 01 00000000:00000000 00:00000000 00000000  1000        0 4444 1 0\n";

const FILES: Record<string, string> = {
  "/p/net/tcp": TCP,
  "/p/1/stat": stat(1, "init", 0, 1),
  "/p/1/cmdline": "/sbin/init\0",
  "/p/200/stat": stat(200, "bash", 1, 50),
  "/p/200/cmdline": "bash\0",
  "/p/300/stat": stat(300, "python3", 200, 900),
  "/p/300/cmdline": "python3\0app.py\0--poll\0",
  "/p/300/cgroup": `0::/system.slice/docker-${ID}.scope\n`,
  "/p/300/status": "Name:\tpython3\nUid:\t1000\t1000\t1000\t1000\n",
};
const LINKS = { "/p/300/fd/0": "/dev/null", "/p/300/fd/7": "socket:[3333]", "/p/200/fd/1": "pipe:[9]" };
const SERVER = { localAddress: "127.1.0.2", localPort: 1338 };

test("process-attributor: finds the process holding the client socket, with argv, uid, container and parents", async () => {
  const attributor = new ProcessAttributor({ procRoot: "/p", reader: fakeProc(FILES, LINKS), littleEndian: true });
  const [result] = await attributor.attribute([{ remoteAddress: "127.0.0.1", remotePort: 54321, ...SERVER }]);
  assert.equal(result?.status, "attributed");
  assert.deepEqual(result?.process, {
    pid: 300,
    command: ["python3", "app.py", "--poll"],
    comm: "python3",
    startTime: 900,
    uid: 1000,
    container: { runtime: "docker", id: ID },
    parents: [
      { pid: 200, command: ["bash"] },
      { pid: 1, command: ["/sbin/init"] },
    ],
  });
});

test("process-attributor: a closed socket is socket-gone, one no readable fd holds is process-not-found, no /proc is unsupported", async () => {
  const attributor = new ProcessAttributor({ procRoot: "/p", reader: fakeProc(FILES, LINKS), littleEndian: true });
  const results = await attributor.attribute([
    { remoteAddress: "127.0.0.1", remotePort: 54322, ...SERVER },
    { remoteAddress: "127.0.0.1", remotePort: 54323, ...SERVER },
    { remoteAddress: "127.0.0.1", remotePort: 9, ...SERVER },
  ]);
  assert.deepEqual(results.map((r) => r.status), ["socket-gone", "process-not-found", "socket-gone"]);
  const none = new ProcessAttributor({ procRoot: "/p", reader: fakeProc({}, {}), littleEndian: true });
  assert.deepEqual((await none.attribute([{ remoteAddress: "127.0.0.1", remotePort: 54321, ...SERVER }])).map((r) => r.status), ["unsupported"]);
});

test("process-attributor: a process seen before is searched first, without listing every pid again", async () => {
  const reads: string[] = [];
  const attributor = new ProcessAttributor({ procRoot: "/p", reader: fakeProc(FILES, LINKS, reads), littleEndian: true });
  await attributor.attribute([{ remoteAddress: "127.0.0.1", remotePort: 54321, ...SERVER }]);
  assert.ok(reads.includes("/p"), "the first lookup scans /proc");
  reads.length = 0;
  const [again] = await attributor.attribute([{ remoteAddress: "127.0.0.1", remotePort: 54321, ...SERVER }]);
  assert.equal(again?.process?.pid, 300);
  assert.ok(!reads.includes("/p"), `the second lookup only read ${reads.join(", ")}`);
  assert.ok(!reads.includes("/p/300/cmdline"), "the identity of an unchanged process is cached");
});

test("process-attributor: only processes of the socket's uid are searched", async () => {
  const reads: string[] = [];
  const attributor = new ProcessAttributor({ procRoot: "/p", reader: fakeProc(FILES, LINKS, reads), littleEndian: true });
  await attributor.attribute([{ remoteAddress: "127.0.0.1", remotePort: 54321, ...SERVER }]);
  assert.ok(reads.includes("/p/300/fd"));
  assert.ok(!reads.includes("/p/200/fd"), "root's processes are not listed for a socket of uid 1000");
});
