/**
 * Where does a server's CPU time go under load? Starts our emulator (`node --cpu-prof
 * bin/imds-lab.js serve ...`) and the bare baseline with `--cpu-prof`, loads each scenario for BENCH_DURATION seconds, stops the
 * servers (which writes the profiles) and summarises the samples taken during the load window.
 *
 *   node --import tsx bench/profile.ts [scenario,...]     (default: ours-v2-get,ours-v1-get,bare-node)
 *
 * The .cpuprofile files are kept in bench/results/profiles/ (open them in Chrome DevTools).
 * Same safety rules as bench/run.ts: 127.0.0.1 only, everything started is stopped.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { findWrk, runWorker, runWrk, type Measurement } from "./lib/loadgen.ts";
import { stopAll } from "./lib/processes.ts";
import { processTicks } from "./lib/quiet.ts";
import { loadSpec, startTargets } from "./lib/targets.ts";
import { ESTATE_SIZE, SCENARIOS } from "./scenarios.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT = join(ROOT, "bench", "results", "profiles");

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}

function frameKey(f: CallFrame): string {
  const url = f.url.startsWith("file://") ? relative(ROOT, fileURLToPath(f.url)) : f.url;
  const name = f.functionName === "" ? "(anonymous)" : f.functionName;
  return url === "" ? name : `${name}  ${url}:${f.lineNumber + 1}`;
}

function category(f: CallFrame): string {
  if (f.url === "") return f.functionName.startsWith("(") ? f.functionName : "(native/builtin)";
  if (f.url.startsWith("node:")) {
    const m = /^node:(?:internal\/)?([^/]+(?:\/[^/]+)?)/.exec(f.url);
    return `node:${m?.[1] ?? f.url}`;
  }
  const path = f.url.startsWith("file://") ? relative(ROOT, fileURLToPath(f.url)) : f.url;
  if (path.includes("node_modules/")) return `dep:${path.split("node_modules/")[1]?.split("/")[0] ?? path}`;
  return path;
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1).padStart(5)} %`;
}

/** Summary of the samples in [fromUs, toUs]. */
function summarise(profile: CpuProfile, fromUs: number, toUs: number, requests: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const categories = new Map<string, number>();
  let t = profile.startTime;
  let busy = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    const delta = profile.timeDeltas[i + 1] ?? 0;
    if (t < fromUs || t > toUs) continue;
    const node = byId.get(profile.samples[i]!)!;
    if (node.callFrame.functionName === "(idle)") {
      idle += delta;
      continue;
    }
    busy += delta;
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + delta);
    const cat = category(node.callFrame);
    categories.set(cat, (categories.get(cat) ?? 0) + delta);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const k = frameKey(byId.get(id)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + delta);
    }
  }
  const lines: string[] = [];
  const windowMs = (toUs - fromUs) / 1_000;
  // The request listener's own work: everything under it except node's writeHead/end.
  const incOf = (re: RegExp) => [...inclusive].filter(([k]) => re.test(k)).reduce((a, [, v]) => Math.max(a, v), 0);
  const listener = incOf(/^handleImdsRequest\s/) || incOf(/\sbench\/bare-server\.ts:/);
  const own = listener - incOf(/^writeHead\s+node:_http_server/) - incOf(/^end\s+node:_http_outgoing/);
  lines.push(
    `  window ${windowMs.toFixed(0)} ms: busy ${(busy / 1_000).toFixed(0)} ms, idle ${(idle / 1_000).toFixed(0)} ms; ${requests} requests -> ${(busy / requests).toFixed(2)} µs CPU per request (profiler on)`,
  );
  lines.push(
    `  request listener: ${pct(listener, busy)} of busy time; its own work (without node's writeHead/end): ${pct(own, busy)} = ${(own / requests).toFixed(2)} µs/req`,
  );
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  lines.push("  by where the time is spent (self time):");
  for (const [k, v] of top(categories, 14)) lines.push(`    ${pct(v, busy)}  ${(v / requests).toFixed(2).padStart(6)} µs/req  ${k}`);
  lines.push("  top functions (self time):");
  for (const [k, v] of top(self, 25)) lines.push(`    ${pct(v, busy)}  ${(v / requests).toFixed(2).padStart(6)} µs/req  ${k}`);
  lines.push("  our code and the HTTP entry points (inclusive time):");
  const ours = [...inclusive].filter(([k]) => /\s(src|bench)\//.test(k) || /^(parserOnIncoming|parserOnHeadersComplete|emit|writeHead|end|_writeRaw|_storeHeader|processHeader|resOnFinish|onParserExecute)\s/.test(k));
  for (const [k, v] of ours.sort((a, b) => b[1] - a[1]).slice(0, 30)) lines.push(`    ${pct(v, busy)}  ${(v / requests).toFixed(2).padStart(6)} µs/req  ${k}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const names = (process.argv[2] ?? "ours-v2-get,ours-v1-get,bare-node").split(",").map((s) => s.trim());
  const scenarios = names.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n);
    if (s === undefined) throw new Error(`unknown scenario ${n}`);
    if (s.target !== "ours-imds" && s.target !== "bare" && s.target !== "ours-api") throw new Error(`${n}: only node servers (ours, bare) can be profiled`);
    return s;
  });
  const durationS = Math.max(1, Math.round(Number(process.env.BENCH_DURATION ?? 10)));
  const warmupS = Math.max(0, Math.round(Number(process.env.BENCH_WARMUP ?? 3)));
  const tool: Measurement["tool"] = findWrk() !== null && process.env.BENCH_WRK !== "0" ? "wrk" : "autocannon";
  const scratch = mkdtempSync(join(tmpdir(), "imds-lab-profile-"));
  const profDir = join(scratch, "prof");
  mkdirSync(profDir);
  const windows: { name: string; pid: number; from: number; to: number; requests: number; reqPerSec: number; processCpuMs: number }[] = [];
  try {
    const needed = new Set(scenarios.map((s) => s.target));
    const targets = await startTargets(needed, scratch, {
      nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${profDir}`],
      log: (m) => process.stdout.write(`${m}\n`),
      // ours-api scenarios run against the seeded estate, as in bench/run.ts.
      estateSize: Math.max(1, Math.round(Number(process.env.BENCH_ESTATE ?? ESTATE_SIZE))),
    });
    for (const scenario of scenarios) {
      const spec = loadSpec(scenario, targets);
      const pid = targets.pidOf[scenario.target]!;
      const connections = scenario.connections ?? 50;
      if (warmupS > 0) await runWorker("autocannon", spec, warmupS, connections);
      const ticks0 = processTicks(pid) ?? 0;
      const from = nowUs();
      const m = tool === "wrk" ? await runWrk(spec, durationS, connections, scratch, scenario.name) : await runWorker("autocannon", spec, durationS, connections);
      const to = nowUs();
      const processCpuMs = ((processTicks(pid) ?? ticks0) - ticks0) * 10;
      windows.push({ name: scenario.name, pid, from, to, requests: m.totalRequests, reqPerSec: m.reqPerSec, processCpuMs });
      process.stdout.write(`${scenario.name}: ${Math.round(m.reqPerSec)} req/s under ${tool} with the profiler on\n`);
    }
  } finally {
    await stopAll();
  }
  mkdirSync(OUT, { recursive: true });
  const files = readdirSync(profDir);
  for (const w of windows) {
    const file = files.find((f) => f.includes(`.${w.pid}.`) && f.endsWith(".cpuprofile"));
    process.stdout.write(`\n== ${w.name} (pid ${w.pid})\n`);
    if (file === undefined) {
      process.stdout.write("  no profile was written (did the server exit cleanly?)\n");
      continue;
    }
    const kept = join(OUT, `${w.name}-${new Date().toISOString().replace(/[:.]/g, "-")}.cpuprofile`);
    copyFileSync(join(profDir, file), kept);
    const profile = JSON.parse(readFileSync(join(profDir, file), "utf8")) as CpuProfile;
    process.stdout.write(
      `  whole process (all threads, kernel time included, from /proc): ${w.processCpuMs} ms = ${((w.processCpuMs * 1_000) / w.requests).toFixed(2)} µs CPU per request\n` +
        `${summarise(profile, w.from, w.to, w.requests)}\n  profile: ${relative(ROOT, kept)}\n`,
    );
  }
  rmSync(scratch, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void stopAll().finally(() => process.exit(130)));

try {
  await main();
} catch (err) {
  process.stderr.write(`profile failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stopAll();
  process.exitCode = 1;
}
