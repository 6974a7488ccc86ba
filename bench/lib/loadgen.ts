/**
 * The load generators, each run as its own process pinned to the load core: autocannon
 * (bench/load-worker.ts), wrk as a cross-check when installed, and node-http (also
 * bench/load-worker.ts) for servers that close every connection when wrk is missing.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { LoadRequest, LoadSummary } from "../load-worker.ts";
import { LOAD_CORE, pinned, runBounded } from "./processes.ts";
import { assertLoopback } from "./raw-http.ts";

export type Tool = "autocannon" | "wrk" | "node-http";

export interface Measurement {
  readonly tool: Tool;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly totalRequests: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  /** Answers whose status was not the expected one (wrk: not 2xx/3xx). */
  readonly unexpected: number;
}

export interface LoadSpec {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly expectStatus: number;
  /** Stop after this many answers (the duration stays the time bound). */
  readonly maxRequests?: number;
  /** A fixed request rate over all connections (autocannon), for latency at a given load rather than at saturation. */
  readonly ratePerSec?: number;
}

const WORKER = fileURLToPath(new URL("../load-worker.ts", import.meta.url));

/** Called with the load generator's pid as soon as it runs (for CPU accounting). */
export type OnSpawn = (pid: number) => void;

/**
 * `maxRequests` (default: the spec's) bounds the answers; the rate is then answers over the time
 * from the start to the last answer, as autocannon's per-second samples do not fit a sub-second run.
 */
export async function runWorker(mode: LoadRequest["mode"], spec: LoadSpec, durationS: number, connections: number, onSpawn?: OnSpawn, maxRequests = spec.maxRequests): Promise<Measurement> {
  assertLoopback(spec.url);
  const request: LoadRequest = {
    mode,
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    connections: maxRequests !== undefined ? Math.min(connections, maxRequests) : connections,
    durationS,
    ...(maxRequests !== undefined ? { maxRequests } : {}),
    ...(spec.ratePerSec !== undefined ? { ratePerSec: spec.ratePerSec } : {}),
  };
  const [command, args] = pinned(LOAD_CORE, process.execPath, ["--import", "tsx", WORKER, JSON.stringify(request)]);
  const done = await runBounded(mode, command, args, (durationS + 30) * 1_000, onSpawn);
  if (done.code !== 0 || done.timedOut) throw new Error(`${mode} failed (code ${done.code}${done.timedOut ? ", timed out" : ""}):\n${done.stderr}`);
  const line = done.stdout.trim().split("\n").pop() ?? "";
  const summary = JSON.parse(line) as LoadSummary;
  let other = 0;
  for (const [code, count] of Object.entries(summary.statusCounts)) if (Number(code) !== spec.expectStatus) other += count;
  return {
    tool: mode,
    reqPerSec: summary.reqPerSec,
    p50Ms: summary.latencyMs.p50,
    p99Ms: summary.latencyMs.p99,
    maxMs: summary.latencyMs.max,
    totalRequests: summary.totalRequests,
    errors: summary.errors,
    unexpected: other,
  };
}

let wrkVersion: string | null | undefined;

/** wrk's version line, or null when wrk is not installed. */
export function findWrk(): string | null {
  if (wrkVersion === undefined) {
    const probe = spawnSync("wrk", ["-v"], { encoding: "utf8" });
    if (probe.error !== undefined) wrkVersion = null;
    else wrkVersion = (`${probe.stdout}${probe.stderr}`.split("\n")[0] ?? "wrk").replace(/\s*Copyright.*$/, "").trim();
  }
  return wrkVersion;
}

function luaString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`wrk script: only printable ASCII is supported: ${JSON.stringify(value)}`);
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  if (unit === "us") return n / 1_000;
  if (unit === "ms") return n;
  if (unit === "s") return n * 1_000;
  if (unit === "m") return n * 60_000;
  throw new Error(`wrk: unknown latency unit ${unit}`);
}

/**
 * wrk has no request count. With a limit, the script counts answers in response(), stops its
 * thread at the limit and interrupts wrk's main thread (SIGINT through LuaJIT's ffi, as Ctrl-C
 * does), which then reports over the time actually run. Answers in flight at the stop are not
 * counted by wrk, but the server still handles them (at most connections - 1).
 */
function limitScript(maxRequests: number): string[] {
  return [
    `local bench_limit = ${Math.floor(maxRequests)}`,
    "local bench_count = 0",
    'local ok_ffi, ffi = pcall(require, "ffi")',
    "if ok_ffi then pcall(ffi.cdef, [[ int getpid(void); int kill(int pid, int sig); int tgkill(int tgid, int tid, int sig); ]]) end",
    "function response(status, headers, body)",
    "  bench_count = bench_count + 1",
    "  if bench_count == bench_limit then",
    "    wrk.thread:stop()",
    "    if ok_ffi then",
    "      local pid = ffi.C.getpid()",
    "      if not pcall(function() ffi.C.tgkill(pid, pid, 2) end) then ffi.C.kill(pid, 2) end",
    "    end",
    "  end",
    "end",
  ];
}

export async function runWrk(
  spec: LoadSpec,
  durationS: number,
  connections: number,
  scratchDir: string,
  id: string,
  onSpawn?: OnSpawn,
  maxRequests = spec.maxRequests,
): Promise<Measurement> {
  const url = assertLoopback(spec.url);
  const script = join(scratchDir, `${id}.lua`);
  const lines = [`wrk.method = ${luaString(spec.method)}`];
  if (spec.body !== undefined) lines.push(`wrk.body = ${luaString(spec.body)}`);
  for (const [name, value] of Object.entries(spec.headers)) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  if (maxRequests !== undefined) {
    lines.push(...limitScript(maxRequests));
    connections = Math.min(connections, maxRequests);
  }
  writeFileSync(script, `${lines.join("\n")}\n`);
  const [command, args] = pinned(LOAD_CORE, "wrk", ["-t1", `-c${connections}`, `-d${durationS}s`, "--latency", "--timeout", `${Math.max(10, durationS)}s`, "-s", script, url.href]);
  const done = await runBounded("wrk", command, args, (durationS + 30) * 1_000, onSpawn);
  if (done.code !== 0 || done.timedOut) throw new Error(`wrk failed (code ${done.code}${done.timedOut ? ", timed out" : ""}):\n${done.stderr}${done.stdout}`);
  const out = done.stdout;
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  const max = /Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)/.exec(out);
  const total = /(\d+) requests in/.exec(out);
  if (rps === null || p50 === null || p99 === null || max === null || total === null) throw new Error(`cannot read wrk's output:\n${out}`);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = socket === null ? 0 : Number(socket[1]) + Number(socket[2]) + Number(socket[3]) + Number(socket[4]);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  return {
    tool: "wrk",
    reqPerSec: Number(rps[1]),
    p50Ms: toMs(p50[1]!, p50[2]!),
    p99Ms: toMs(p99[1]!, p99[2]!),
    maxMs: toMs(max[1]!, max[2]!),
    totalRequests: Number(total[1]),
    errors,
    unexpected: non2xx === null ? 0 : Number(non2xx[1]),
  };
}
