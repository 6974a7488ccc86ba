/**
 * Every one-shot IMDSv1 caller is named (issue 15, item 1): short-lived processes of four kinds
 * (curl, python3 urllib, node fetch, bash's /dev/tcp) each make token-less requests on fresh
 * connections and exit at once. The IMDS thread names each caller before answering it
 * (docs/behaviour.md, "IMDSv1 callers"), so every request's connection must carry the pid and the
 * command line of the process this test spawned. The coverage is printed as a figure.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { basename } from "node:path";
import { after, before, describe, it } from "node:test";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";
import { rawRequest } from "../support/http.ts";
import { realPython } from "../support/migration-callers.ts";

const linux = process.platform === "linux";
const PATH = "/latest/meta-data/instance-id";
/** Requests per process: each on its own connection (Connection: close), as one-shot scripts do. */
const REQUESTS_PER_PROCESS = 5;
const PROCESSES_PER_KIND = 13;

interface Caller {
  readonly kind: string;
  readonly userAgent: string;
  readonly command: string[];
  readonly requests: number;
}

function callers(imds: string, python: string): Caller[] {
  const url = new URL(PATH, imds);
  const out: Caller[] = [];
  for (let i = 0; i < PROCESSES_PER_KIND; i++) {
    const ua = (kind: string) => `oneshot-${kind}-${i}`;
    const curlArgs = Array.from({ length: REQUESTS_PER_PROCESS }, () => [url.href]).flat();
    out.push({ kind: "curl", userAgent: ua("curl"), command: ["curl", "-sf", "-H", "Connection: close", "-A", ua("curl"), ...curlArgs], requests: REQUESTS_PER_PROCESS });
    const py = `import urllib.request, sys\nfor _ in range(${REQUESTS_PER_PROCESS}):\n    urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers={"User-Agent": sys.argv[2]}), timeout=10).read()\n`;
    out.push({ kind: "python", userAgent: ua("python"), command: [python, "-c", py, url.href, ua("python")], requests: REQUESTS_PER_PROCESS });
    // One fetch per process: undici would pool further requests on one connection.
    const js = `const r = await fetch(process.argv[1], { headers: { "user-agent": process.argv[2] } }); if (!r.ok) process.exit(1); await r.text();`;
    out.push({ kind: "node", userAgent: ua("node"), command: [process.execPath, "--input-type=module", "-e", js, url.href, ua("node")], requests: 1 });
    // Builtins only: a child (cat) would inherit fd 3 and hold the socket too.
    const sh = `for n in {1..${REQUESTS_PER_PROCESS}}; do exec 3<>/dev/tcp/${url.hostname}/${url.port}; printf 'GET ${PATH} HTTP/1.1\\r\\nHost: ${url.host}\\r\\nUser-Agent: ${ua("bash")}\\r\\nConnection: close\\r\\n\\r\\n' >&3; while IFS= read -r -u 3 line; do :; done; exec 3<&-; done`;
    out.push({ kind: "bash", userAgent: ua("bash"), command: ["bash", "-c", sh], requests: REQUESTS_PER_PROCESS });
  }
  return out;
}

function run(command: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { stdio: ["ignore", "ignore", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(child.pid!) : reject(new Error(`${command[0]} exited ${code}`))));
  });
}

interface Entry {
  readonly userAgent: string | null;
  readonly attribution: string;
  readonly remotePort: number;
  readonly pid?: number;
  readonly command?: string[];
}

describe("attribution: one-shot IMDSv1 callers", { skip: linux ? false : "attribution reads /proc (Linux)" }, () => {
  let emulator: EmulatorProcess;
  before(async () => {
    emulator = await startEmulatorProcess();
  });
  after(async () => {
    await emulator.stop();
  });

  it("attribution: every request of 52 short-lived processes (curl, python urllib, node fetch, bash /dev/tcp) names its pid and command", async (t) => {
    const all = callers(emulator.ready.imds, realPython());
    const pids = new Map<string, number>();
    // Four at a time, as a host's cron jobs and scripts overlap.
    for (let i = 0; i < all.length; i += 4) {
      const batch = all.slice(i, i + 4);
      const started = await Promise.all(batch.map((c) => run(c.command)));
      batch.forEach((c, j) => pids.set(c.userAgent, started[j]!));
    }
    const expected = all.reduce((n, c) => n + c.requests, 0);
    assert.ok(expected >= 200 && all.length >= 20);

    // Access events cross from the IMDS thread in batches: the last ones may still be on their way.
    let entries: Entry[] = [];
    for (const deadline = Date.now() + 15_000; ; await new Promise((resolve) => setTimeout(resolve, 200))) {
      const log = JSON.parse((await rawRequest(emulator.ready.api, { path: "/_imds-lab/access-log?limit=5000&version=v1" })).text()) as { entries: Entry[] };
      entries = log.entries.filter((e) => e.userAgent?.startsWith("oneshot-"));
      if (entries.length >= expected || Date.now() > deadline) break;
    }
    assert.equal(entries.length, expected, "every request is logged");
    assert.equal(new Set(entries.map((e) => e.remotePort)).size, expected, "each request came on its own connection");

    const byCaller = new Map(all.map((c) => [c.userAgent, c]));
    const right = entries.filter((e) => {
      const caller = byCaller.get(e.userAgent!)!;
      return e.attribution === "attributed" && e.pid === pids.get(caller.userAgent) && JSON.stringify(e.command) === JSON.stringify(caller.command);
    });
    const perKind = ["curl", "python", "node", "bash"].map((kind) => {
      const of = (list: Entry[]) => list.filter((e) => e.userAgent!.startsWith(`oneshot-${kind}-`)).length;
      return `${kind} ${of(right)}/${of(entries)}`;
    });
    const missed = new Map<string, number>();
    for (const e of entries) if (!right.includes(e)) missed.set(e.attribution, (missed.get(e.attribution) ?? 0) + 1);
    const statuses = [...missed].map(([status, n]) => `${n} ${status === "attributed" ? "attributed to another process" : status}`);
    t.diagnostic(`one-shot IMDSv1 coverage: ${right.length}/${expected} requests from ${all.length} processes attributed to the right pid and command (${perKind.join(", ")})${statuses.length > 0 ? `; the rest: ${statuses.join(", ")}` : ""}`);
    for (const e of entries) {
      const caller = byCaller.get(e.userAgent!)!;
      assert.equal(e.attribution, "attributed", `${e.userAgent} (port ${e.remotePort})`);
      assert.equal(e.pid, pids.get(caller.userAgent), `${e.userAgent}: pid`);
      assert.equal(basename(e.command![0]!), basename(caller.command[0]!), `${e.userAgent}: command`);
      assert.deepEqual(e.command, caller.command, `${e.userAgent}: command line`);
    }
  });
});
