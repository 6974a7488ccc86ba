/**
 * `npm run bench`: load benchmark of our IMDS against a bare node:http ceiling and moto_server.
 * Method and interpretation: docs/benchmarks.md.
 *
 * Environment (all optional):
 *   BENCH_DURATION     seconds measured per scenario and tool (default 10)
 *   BENCH_WARMUP       seconds of autocannon warm-up before each measurement (default 3)
 *   BENCH_ROUNDS       interleaved rounds (default 2)
 *   BENCH_CONNECTIONS  concurrent connections (default 50; scenarios may set their own, e.g. the EC2 API ones)
 *   BENCH_ESTATE       instances seeded into each EC2 API estate server before any measurement
 *                      (default 10000; see ESTATE_SIZE in bench/scenarios.ts)
 *   BENCH_ONLY         comma-separated scenario names, or a /regex/ (default: all)
 *   BENCH_WRK          0 to skip the wrk cross-check even when wrk is installed
 *   BENCH_QUIET_WAIT   seconds to wait at most, before each measurement, for foreign CPU load to
 *                      drop (default 60). A measurement during which foreign processes used more than
 *                      5 % of the machine is taken again; one kept anyway is marked (*) in the table
 *   BENCH_ATTEMPTS     attempts per measurement under foreign load (default 2)
 *   BENCH_WRITE_DOCS   1/0: refresh the generated part of docs/benchmarks.md (default: only
 *                      when duration, warm-up, rounds, connections and estate are at their defaults
 *                      and every scenario runs)
 *
 * Only 127.0.0.1 is ever targeted. Every process started is stopped at the end, also on failure.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findWrk, runWorker, runWrk, type LoadSpec, type Measurement, type Tool } from "./lib/loadgen.ts";
import { canPin, LOAD_CORE, SERVER_CORE, stopAll } from "./lib/processes.ts";
import { CpuWatch, waitForQuiet } from "./lib/quiet.ts";
import { rawRequest } from "./lib/raw-http.ts";
import { backgroundSpec, loadSpec, startTargets, type Targets } from "./lib/targets.ts";
import { instanceIds, type Estate } from "./lib/estate.ts";
import { formatMs, formatRate, formatRatio, machineInfo, markdownTable, median, textTable, type MachineInfo } from "./lib/report.ts";
import { COMPARISONS, ESTATE_SIZE, ESTATE_TARGETS, P99_LIMIT_MS, P99_SCENARIO_PREFIX, P99_TARGETS, SCENARIOS, type Scenario, type Target } from "./scenarios.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_DIR = join(ROOT, "bench", "results");
const DOCS = join(ROOT, "docs", "benchmarks.md");

const DEFAULTS = { duration: 10, warmup: 3, rounds: 2, connections: 50 };
/** Seconds the background load of an isolation scenario runs before the measurement starts (and after it ends). */
const BACKGROUND_MARGIN_S = 1;
/** Above this share of the machine (all cores = 100 %) busy while the benchmark idles, it is not quiet. */
const QUIET_THRESHOLD = 10;
/** A measurement during which foreign processes used more than this share of the machine is taken again. */
const FOREIGN_LIMIT = 5;
/** Attempts per measurement (the first plus retries when foreign load disturbed it): BENCH_ATTEMPTS. */
let MAX_ATTEMPTS = 2;

/** One measurement with the CPU accounting of its duration. */
interface Sample extends Measurement {
  /** Share of the machine used by processes not ours during the measurement (null off Linux). */
  readonly foreignPct: number | null;
  /** Share of the machine used by our processes (servers, load generator, runner). */
  readonly oursPct: number | null;
  readonly stealPct: number | null;
  readonly round: number;
  /** CPU time the server under test spent per answered request (µs), from /proc. */
  readonly serverUsPerReq: number | null;
  readonly attempt: number;
  /** Instances the scenario's estate target held when the measurement started (estate targets only). */
  readonly estate: number | null;
  /** Connections this measurement used. */
  readonly connections: number;
  /** The background loads that ran during it (isolation scenarios): answers and median latency. */
  readonly background: readonly { readonly name: string; readonly answered: number; readonly p50Ms: number; readonly errors: number; readonly unexpected: number }[];
}

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name} must be a number in ${min}..${max}, got ${raw}`);
  return n;
}

interface Config {
  readonly durationS: number;
  readonly warmupS: number;
  readonly rounds: number;
  readonly connections: number;
  readonly estateSize: number;
  readonly wrk: boolean;
  readonly quietWaitS: number;
  readonly writeDocs: boolean;
  readonly scenarios: readonly Scenario[];
}

function readConfig(): Config {
  const durationS = Math.round(envNumber("BENCH_DURATION", DEFAULTS.duration, 1, 120));
  const warmupS = Math.round(envNumber("BENCH_WARMUP", DEFAULTS.warmup, 0, 60));
  const rounds = Math.round(envNumber("BENCH_ROUNDS", DEFAULTS.rounds, 1, 10));
  const connections = Math.round(envNumber("BENCH_CONNECTIONS", DEFAULTS.connections, 1, 1_000));
  const estateSize = Math.round(envNumber("BENCH_ESTATE", ESTATE_SIZE, 1, 20_000));
  const only = process.env.BENCH_ONLY?.trim();
  let scenarios = SCENARIOS;
  if (only !== undefined && only !== "") {
    if (only.startsWith("/") && only.endsWith("/") && only.length > 2) {
      const re = new RegExp(only.slice(1, -1));
      scenarios = SCENARIOS.filter((s) => re.test(s.name));
    } else {
      const names = new Set(only.split(",").map((s) => s.trim()));
      const unknown = [...names].filter((n) => !SCENARIOS.some((s) => s.name === n));
      if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown scenarios: ${unknown.join(", ")}`);
      scenarios = SCENARIOS.filter((s) => names.has(s.name));
    }
    if (scenarios.length === 0) throw new Error(`BENCH_ONLY=${only} selects no scenario`);
  }
  const fullRun =
    durationS === DEFAULTS.duration && warmupS === DEFAULTS.warmup && rounds >= DEFAULTS.rounds && connections === DEFAULTS.connections && estateSize === ESTATE_SIZE;
  const docsFlag = process.env.BENCH_WRITE_DOCS;
  return {
    durationS,
    warmupS,
    rounds,
    connections,
    estateSize,
    wrk: process.env.BENCH_WRK !== "0",
    quietWaitS: Math.round(envNumber("BENCH_QUIET_WAIT", 60, 0, 1_800)),
    writeDocs: docsFlag === undefined || docsFlag === "" ? fullRun && scenarios.length === SCENARIOS.length : docsFlag === "1",
    scenarios,
  };
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

interface Aggregate {
  readonly scenario: Scenario;
  readonly tool: Tool;
  readonly runs: readonly Sample[];
  /** Runs kept although foreign load took more than FOREIGN_LIMIT of the machine. */
  readonly noisyRuns: number;
  readonly reqPerSec: number;
  readonly minReqPerSec: number;
  readonly maxReqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Median server CPU per request (µs); null when not measured. */
  readonly serverUsPerReq: number | null;
  readonly errors: number;
  readonly unexpected: number;
  readonly connections: number;
  /** Smallest and largest estate at the start of a run (estate targets only). */
  readonly estateMin: number | null;
  readonly estateMax: number | null;
}

function isNoisy(s: Sample): boolean {
  return s.foreignPct !== null && s.foreignPct > FOREIGN_LIMIT;
}

function aggregate(scenario: Scenario, tool: Tool, runs: readonly Sample[]): Aggregate {
  const rates = runs.map((r) => r.reqPerSec);
  return {
    scenario,
    tool,
    runs,
    noisyRuns: runs.filter(isNoisy).length,
    reqPerSec: median(rates),
    minReqPerSec: Math.min(...rates),
    maxReqPerSec: Math.max(...rates),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    serverUsPerReq: runs.every((r) => r.serverUsPerReq !== null) ? median(runs.map((r) => r.serverUsPerReq!)) : null,
    errors: runs.reduce((a, r) => a + r.errors, 0),
    unexpected: runs.reduce((a, r) => a + r.unexpected, 0),
    connections: runs[0]?.connections ?? 0,
    estateMin: runs.every((r) => r.estate !== null) ? Math.min(...runs.map((r) => r.estate!)) : null,
    estateMax: runs.every((r) => r.estate !== null) ? Math.max(...runs.map((r) => r.estate!)) : null,
  };
}

function estateRange(min: number | null, max: number | null): string {
  if (min === null || max === null) return "–";
  return min === max ? formatRate(min) : `${formatRate(min)}–${formatRate(max)}`;
}

interface Verdict {
  /** The numerator's tool, "/" the denominator's where they differ. */
  readonly tool: string;
  readonly label: string;
  /** Median req/s of the numerator over median req/s of the denominator. */
  readonly ratio: number;
  /** Ratios of the two measured in the same round (same tool), which share the machine's state. */
  readonly paired: readonly number[];
  /** What the verdict is judged on: the median paired ratio where there are pairs, else `ratio`. */
  readonly judged: number;
  readonly atLeast?: number;
  readonly bar?: string;
  readonly met?: boolean;
}

const TOOL_PREFERENCE: readonly Tool[] = ["wrk", "autocannon", "node-http"];

/**
 * Every comparison once per tool that measured its numerator. Servers that close each connection
 * are not measured by autocannon; their number then comes from the best tool that measured them.
 */
function verdicts(aggs: readonly Aggregate[]): Verdict[] {
  const get = (name: string, tool: Tool) => aggs.find((a) => a.scenario.name === name && a.tool === tool);
  const out: Verdict[] = [];
  for (const c of COMPARISONS) {
    for (const tool of ["autocannon", "wrk", "node-http"] as const) {
      const num = get(c.numerator, tool);
      if (num === undefined) continue;
      const den = get(c.denominator, tool) ?? TOOL_PREFERENCE.map((t) => get(c.denominator, t)).find((a) => a !== undefined);
      if (den === undefined) continue;
      const ratio = num.reqPerSec / den.reqPerSec;
      const paired: number[] = [];
      if (den.tool === tool) {
        for (const n of num.runs) {
          const d = den.runs.find((r) => r.round === n.round);
          if (d !== undefined) paired.push(n.reqPerSec / d.reqPerSec);
        }
      }
      const judged = paired.length > 0 ? median(paired) : ratio;
      out.push({
        tool: den.tool === tool ? tool : `${tool}/${den.tool}`,
        label: c.label,
        ratio,
        paired,
        judged,
        ...(c.atLeast !== undefined ? { atLeast: c.atLeast, met: judged >= c.atLeast } : {}),
        ...(c.bar !== undefined ? { bar: c.bar } : {}),
      });
    }
  }
  return out;
}

function resultRows(aggs: readonly Aggregate[]): string[][] {
  return aggs.map((a) => [
    a.noisyRuns > 0 ? `${a.scenario.name} (*${a.noisyRuns})` : a.scenario.name,
    a.tool,
    formatRate(a.reqPerSec),
    `${formatRate(a.minReqPerSec)}–${formatRate(a.maxReqPerSec)}`,
    formatMs(a.p50Ms),
    formatMs(a.p99Ms),
    a.serverUsPerReq === null ? "–" : a.serverUsPerReq >= 1_000 ? formatRate(a.serverUsPerReq) : a.serverUsPerReq.toFixed(1),
    String(a.errors),
    String(a.unexpected),
    String(a.connections),
    estateRange(a.estateMin, a.estateMax),
  ]);
}
const RESULT_HEADER = ["scenario", "tool", "req/s (median)", "req/s (min–max)", "p50 ms", "p99 ms", "server µs CPU/req", "sock err", "bad status", "conns", "estate"];

function seedRows(estates: readonly Estate[]): string[][] {
  return estates.map((e) => [
    e.seed.target,
    formatRate(e.seed.instances),
    `${e.seed.calls} x ${e.seed.batch}`,
    e.seed.seconds.toFixed(1),
    formatRate(e.seed.instancesPerSec),
    formatMs(e.seed.callP50Ms),
    formatMs(e.seed.callMaxMs),
    formatRate(e.seed.before + e.seed.instances),
    estateRange(e.measuredMin, e.measuredMax),
  ]);
}
const SEED_HEADER = ["estate target", "instances seeded", "RunInstances calls", "seconds", "instances/s", "call p50 ms", "call max ms", "estate after seeding", "estate during measurements"];

function verdictRows(vs: readonly Verdict[]): string[][] {
  return vs.map((v) => [
    v.label,
    v.tool,
    formatRatio(v.ratio),
    v.paired.length === 0 ? "–" : `${formatRatio(v.judged)} (${v.paired.map(formatRatio).join(", ")})`,
    v.bar ?? "–",
    v.met === undefined ? "–" : v.met ? "MET" : "NOT MET",
  ]);
}
const VERDICT_HEADER = ["comparison", "tool", "ratio of medians", "paired: median (per round)", "bar", "verdict"];

interface Notes {
  readonly saturation: string[];
  readonly p99: string[];
  /** The EC2 API with the estate: seeding, and one line per ours/moto comparison. */
  readonly estate: string[];
  /** IMDS p99 with the API idle and under API load, side by side (issue 11: at most 2x). */
  readonly isolation: string[];
  readonly other: string[];
}

/** The tool both sides of an estate comparison were measured with (wrk when it measured both). */
function sharedTool(aggs: readonly Aggregate[], num: string, den: string): Tool | undefined {
  for (const tool of TOOL_PREFERENCE) if (aggs.some((a) => a.scenario.name === num && a.tool === tool) && aggs.some((a) => a.scenario.name === den && a.tool === tool)) return tool;
  return undefined;
}

function estateNotes(aggs: readonly Aggregate[], estates: Partial<Record<Target, Estate>>): string[] {
  const out: string[] = [];
  const ours = estates["ours-api"];
  const moto = estates["moto-api"];
  if (ours !== undefined && moto !== undefined) {
    out.push(
      `seeding (RunInstances, ${ours.seed.batch} instances per call, one call at a time): ours ${formatRate(ours.seed.instancesPerSec)} instances/s (${ours.seed.seconds.toFixed(1)} s), ` +
        `moto ${formatRate(moto.seed.instancesPerSec)} instances/s (${moto.seed.seconds.toFixed(1)} s): ours/moto = ${formatRatio(ours.seed.instancesPerSec / moto.seed.instancesPerSec)}.`,
    );
  }
  for (const c of COMPARISONS) {
    const numScenario = SCENARIOS.find((s) => s.name === c.numerator);
    if (numScenario === undefined || !ESTATE_TARGETS.includes(numScenario.target)) continue;
    const tool = sharedTool(aggs, c.numerator, c.denominator);
    if (tool === undefined) continue;
    const n = aggs.find((a) => a.scenario.name === c.numerator && a.tool === tool)!;
    const d = aggs.find((a) => a.scenario.name === c.denominator && a.tool === tool)!;
    const cpu = n.serverUsPerReq !== null && d.serverUsPerReq !== null ? `; server CPU ${formatCpu(n.serverUsPerReq)} vs ${formatCpu(d.serverUsPerReq)} per request` : "";
    out.push(
      `${c.label} (${tool}, ${n.connections}/${d.connections} connections, estate ${estateRange(n.estateMin, n.estateMax)} / ${estateRange(d.estateMin, d.estateMax)}): ` +
        `${formatRate(n.reqPerSec)} vs ${formatRate(d.reqPerSec)} req/s = ${formatRatio(n.reqPerSec / d.reqPerSec)}, p99 ${formatMs(n.p99Ms)} vs ${formatMs(d.p99Ms)} ms${cpu}.`,
    );
  }
  const grows = aggs.filter((a) => a.scenario.growsEstate === true);
  if (grows.length > 0) {
    out.push(
      `RunInstances grows the estate by one instance per request, so each of its measurements stops after ${[...new Set(grows.map((a) => a.scenario.maxRequests ?? 0))].join("/")} answers ` +
        `(warm-ups after a fifth of that): the "estate" column is the instance count when each measurement started (counted by the runner).`,
    );
  }
  return out;
}

/** Under API load the IMDS p99 may be at most this multiple of its idle p99 (issue 11). */
const ISOLATION_FACTOR = 2;

function isolationNotes(aggs: readonly Aggregate[]): string[] {
  const idle = aggs.find((a) => a.scenario.name === "ours-imds-p99-idle");
  const loaded = aggs.find((a) => a.scenario.name === "ours-imds-p99-api-load");
  if (idle === undefined || loaded === undefined) return [];
  // autocannon reports p99 0 when nothing was answered: the IMDS stalled for the whole measurement.
  const stalled = loaded.runs.some((r) => r.totalRequests === 0);
  const ratio = stalled ? Number.POSITIVE_INFINITY : loaded.p99Ms / idle.p99Ms;
  const background = loaded.runs.flatMap((r) => r.background);
  const served = [...new Set(background.map((b) => b.name))].map((name) => {
    const runs = background.filter((b) => b.name === name);
    return `${name} ${runs.reduce((n, b) => n + b.answered, 0)} answers (median ${formatMs(median(runs.map((b) => b.p50Ms)))} ms each)`;
  });
  return [
    `IMDS isolation (${idle.tool}, ${idle.scenario.ratePerSec ?? "?"} req/s on ${idle.connections} connections to the estate server's own IMDS): p99 ${formatMs(idle.p99Ms)} ms with the API idle, ` +
      `${stalled ? "no answer at all in a measurement" : `${formatMs(loaded.p99Ms)} ms`} while the API served ${served.join(" and ")}: ` +
      `${stalled ? "stalled" : `${ratio.toFixed(2)}x`}, bar <= ${ISOLATION_FACTOR}x: ${ratio <= ISOLATION_FACTOR ? "MET" : "NOT MET"}` +
      ` (max ${formatMs(idle.runs.reduce((m, r) => Math.max(m, r.maxMs), 0))} vs ${formatMs(loaded.runs.reduce((m, r) => Math.max(m, r.maxMs), 0))} ms).`,
  ];
}

function formatCpu(us: number): string {
  return us >= 1_000 ? `${(us / 1_000).toFixed(1)} ms` : `${us.toFixed(0)} µs`;
}

function notes(aggs: readonly Aggregate[], closing: ReadonlySet<string>, estates: Partial<Record<Target, Estate>>): Notes {
  const saturation: string[] = [];
  const find = (name: string, tool: Tool) => aggs.find((a) => a.scenario.name === name && a.tool === tool);
  const acBare = find("bare-node", "autocannon");
  const wrkBare = find("bare-node", "wrk");
  const acOurs = find("ours-v2-get", "autocannon");
  if (acBare !== undefined && wrkBare !== undefined) {
    const factor = wrkBare.reqPerSec / acBare.reqPerSec;
    if (factor > 1.15) {
      saturation.push(
        `autocannon is the bottleneck: wrk drives the bare server ${factor.toFixed(2)}x harder than autocannon does (${formatRate(wrkBare.reqPerSec)} vs ${formatRate(acBare.reqPerSec)} req/s), so autocannon's ratios against the bare server are compressed toward 100 %; wrk's are the ones to judge by.`,
      );
    } else {
      saturation.push(`wrk and autocannon drive the bare server about equally hard (wrk/autocannon = ${factor.toFixed(2)}), so autocannon is not the limiting side.`);
    }
  } else if (acBare !== undefined && acOurs !== undefined && acOurs.reqPerSec / acBare.reqPerSec > 0.95 && acBare.reqPerSec > 55_000) {
    saturation.push("ours and bare are within 5 % under autocannon near its one-core ceiling (~65-75 k req/s): both may saturate the load generator; install wrk for a cross-check.");
  }
  const efficiency: string[] = [];
  for (const tool of ["wrk", "autocannon"] as const) {
    const bare = find("bare-node", tool);
    if (bare?.serverUsPerReq == null) continue;
    for (const name of ["ours-v2-get", "ours-v1-get"]) {
      const ours = find(name, tool);
      if (ours?.serverUsPerReq == null) continue;
      efficiency.push(
        `server CPU per request under ${tool}: ${name} ${ours.serverUsPerReq.toFixed(1)} µs vs bare ${bare.serverUsPerReq.toFixed(1)} µs, ` +
          `so with the server core as the bottleneck ${name} can reach ${formatRatio(bare.serverUsPerReq / ours.serverUsPerReq)} of bare's req/s.`,
      );
    }
  }
  saturation.push(...efficiency);
  const p99: string[] = [];
  for (const a of aggs) {
    if (!a.scenario.name.startsWith(P99_SCENARIO_PREFIX) || !P99_TARGETS.includes(a.scenario.target)) continue;
    const met = a.p99Ms < P99_LIMIT_MS;
    p99.push(`p99 bar (< ${P99_LIMIT_MS} ms) ${a.scenario.name} (${a.tool}): ${formatMs(a.p99Ms)} ms: ${met ? "MET" : "NOT MET"}`);
  }
  const other: string[] = [];
  if (closing.size > 0) {
    other.push(
      `${[...closing].join(", ")} answer with Connection: close, so every request opens a new connection; autocannon cannot drive such a server (it writes its next request onto the closing socket and then waits for its timeout), so these are measured with ${aggs.some((a) => closing.has(a.scenario.name) && a.tool === "wrk") ? "wrk" : "node-http (one new node:http connection per request)"} only.`,
    );
  }
  if (aggs.some((a) => a.noisyRuns > 0)) {
    other.push(
      `(*n): n of the runs kept although foreign processes used more than ${FOREIGN_LIMIT} % of the machine during them (${MAX_ATTEMPTS} attempt${MAX_ATTEMPTS === 1 ? "" : "s"} each at most; 1 for scenarios that grow the estate).`,
    );
  }
  return { saturation, p99, estate: estateNotes(aggs, estates), isolation: isolationNotes(aggs), other };
}

const DOC_BEGIN = "<!-- bench:results:begin (generated by npm run bench; edit outside these markers) -->";
const DOC_END = "<!-- bench:results:end -->";

function docsSection(report: RunReport): string {
  const m = report.machine;
  const lines = [
    DOC_BEGIN,
    "",
    `Run of ${report.finishedAt} (${report.config.rounds} rounds, ${report.config.warmupS} s warm-up + ${report.config.durationS} s measured per scenario and tool, ${report.config.connections} connections unless the "conns" column says otherwise; EC2 API estate: ${formatRate(report.config.estateSize)} instances seeded per server).`,
    "",
    "| machine | |",
    "|---|---|",
    `| cores (nproc) | ${m.nproc} |`,
    `| CPU | ${m.cpuModel} |`,
    `| memory | ${m.memoryGiB} GiB |`,
    `| kernel | ${m.kernel} |`,
    `| node | ${m.node} |`,
    `| autocannon | ${m.autocannon} |`,
    `| wrk | ${m.wrk ?? "not installed (cross-check skipped)"} |`,
    `| moto | ${m.moto ?? "not found"} |`,
    `| pinning | ${m.pinned ? `servers on core ${SERVER_CORE}, load generator on core ${LOAD_CORE} (taskset)` : "none: taskset missing, everything unpinned"} |`,
    "",
    markdownTable(RESULT_HEADER, resultRows(report.aggregates)),
    "",
    markdownTable(VERDICT_HEADER, verdictRows(report.verdicts)),
    "",
    ...(report.estates.length > 0 ? [markdownTable(SEED_HEADER, seedRows(report.estates)), ""] : []),
    ...[...report.notes.saturation, ...report.notes.p99, ...report.notes.isolation, ...report.notes.estate, ...report.notes.other].map((s) => `- ${s}`),
    ...(report.replayCheck !== undefined ? [`- bare baseline answer: ${report.replayCheck}.`] : []),
    "",
    DOC_END,
  ];
  return lines.join("\n");
}

function refreshDocs(report: RunReport): void {
  const section = docsSection(report);
  let text: string;
  if (existsSync(DOCS)) {
    const current = readFileSync(DOCS, "utf8");
    const begin = current.indexOf(DOC_BEGIN);
    const end = current.indexOf(DOC_END);
    text = begin !== -1 && end > begin ? `${current.slice(0, begin)}${section}${current.slice(end + DOC_END.length)}` : `${current.trimEnd()}\n\n## Latest run\n\n${section}\n`;
  } else {
    text = `# Benchmarks\n\nRun with \`npm run bench\` (see bench/run.ts for the settings).\n\n## Latest run\n\n${section}\n`;
  }
  writeFileSync(DOCS, text);
}

interface RunReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  readonly config: Omit<Config, "scenarios"> & { scenarios: string[] };
  readonly replayCheck?: string;
  readonly aggregates: Aggregate[];
  readonly verdicts: Verdict[];
  /** The seeded estates (EC2 API scenarios), with the seeding measurement. */
  readonly estates: Estate[];
  readonly notes: Notes;
}

async function main(): Promise<number> {
  const startedAt = new Date().toISOString();
  const config = readConfig();
  MAX_ATTEMPTS = Math.round(envNumber("BENCH_ATTEMPTS", MAX_ATTEMPTS, 1, 5));
  const wrk = config.wrk ? findWrk() : null;
  const pinnedRun = canPin();
  const machine = machineInfo(wrk, pinnedRun);
  const keepAliveTools: Tool[] = wrk !== null ? ["autocannon", "wrk"] : ["autocannon"];
  const closingTool: Tool = wrk !== null ? "wrk" : "node-http";
  const perScenario = (s: Scenario) => (s.maxDurationS ?? config.warmupS) + keepAliveTools.length * (s.maxDurationS ?? config.durationS);
  const estateTargets = ESTATE_TARGETS.filter((t) => config.scenarios.some((s) => s.target === t));
  // Seeding: ours ~1 k instances/s, moto ~100-150 instances/s; the bound below allows far more.
  const seedEstimateS = estateTargets.length === 0 ? 0 : 10 + (estateTargets.includes("moto-api") ? config.estateSize / 120 : 0) + (estateTargets.includes("ours-api") ? config.estateSize / 800 : 0);
  const estimateS = config.rounds * config.scenarios.reduce((sum, s) => sum + perScenario(s) + 3, 0) + seedEstimateS;
  const measurementsPlanned = config.rounds * config.scenarios.length * keepAliveTools.length;
  // A hard bound on the whole run, far above the estimate: startup, moto's first call, seeding, retries, waits for quiet.
  const deadline = Date.now() + (estimateS * MAX_ATTEMPTS + 180 + seedEstimateS * 3 + measurementsPlanned * MAX_ATTEMPTS * config.quietWaitS) * 1_000;

  log(`imds-lab benchmark: ${config.scenarios.length} scenarios x ${config.rounds} rounds, ${config.warmupS} s warm-up + ${config.durationS} s per tool, ${config.connections} connections, about ${Math.ceil(estimateS / 60)} min on a quiet machine`);
  log(`machine: ${machine.nproc} cores, ${machine.cpuModel}, node ${machine.node}, autocannon ${machine.autocannon}, wrk ${machine.wrk ?? "-"}, moto ${machine.moto ?? "-"}`);
  if (pinnedRun) log(`pinning: servers on core ${SERVER_CORE}, load generators on core ${LOAD_CORE} (taskset)`);
  else log("pinning: taskset is missing (or fewer than 2 cores): servers and load generators run UNPINNED; numbers are noisier");
  if (config.wrk && wrk === null) log("wrk: not installed, cross-check skipped (Debian: apt-get install -y wrk)");
  if (estateTargets.length > 0) log(`EC2 API estate: ${config.estateSize} instances seeded into each of ${estateTargets.join(", ")} before any measurement`);

  const scratch = mkdtempSync(join(tmpdir(), "imds-lab-bench-"));
  try {
    const needed = new Set(config.scenarios.map((s) => s.target));
    const targets = await startTargets(needed, scratch, { log, estateSize: config.estateSize });
    /** Counts the instances a growing scenario added (one per answered request). */
    const grew = (scenario: Scenario, answered: number) => {
      const estate = targets.estate[scenario.target];
      if (scenario.growsEstate === true && estate !== undefined) estate.size += answered;
    };

    // Every scenario must answer as expected before load is put on it (this also warms moto's EC2 backend).
    const specs = new Map<string, LoadSpec>();
    const closing = new Set<string>();
    for (const scenario of config.scenarios) {
      const spec = loadSpec(scenario, targets);
      const url = new URL(spec.url);
      const probe = await rawRequest(url.origin, { method: spec.method, path: url.pathname + url.search, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}) }, 60_000);
      if (probe.status !== spec.expectStatus) {
        throw new Error(`${scenario.name}: expected ${spec.expectStatus}, got ${probe.status}: ${probe.body.toString("utf8").slice(0, 300)}`);
      }
      grew(scenario, 1);
      if (scenario.expectInstances !== undefined) {
        const listed = instanceIds(probe.body.toString("utf8")).length;
        if (listed !== scenario.expectInstances) throw new Error(`${scenario.name}: expected ${scenario.expectInstances} instances in the answer, got ${listed}`);
      }
      if (probe.headers.some(([n, v]) => n.toLowerCase() === "connection" && v.toLowerCase() === "close")) closing.add(scenario.name);
      specs.set(scenario.name, spec);
    }
    // A fixed-rate scenario needs autocannon's rate limit.
    const toolsOf = (scenario: Scenario): Tool[] => (closing.has(scenario.name) ? [closingTool] : scenario.ratePerSec !== undefined ? ["autocannon"] : keepAliveTools);
    const connectionsOf = (scenario: Scenario): number => scenario.connections ?? config.connections;

    const measured = new Map<string, Sample[]>();
    const measureOnce = async (scenario: Scenario, tool: Tool, spec: LoadSpec, round: number): Promise<Sample> => {
      let sample: Sample | undefined;
      // A scenario that changes the server (RunInstances) is not measured again: that would grow the estate further.
      const attempts = scenario.growsEstate === true ? 1 : MAX_ATTEMPTS;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        if (Date.now() > deadline) throw new Error("the run exceeded its time bound; stopping");
        const quiet = await waitForQuiet(QUIET_THRESHOLD, config.quietWaitS * 1_000);
        const gone = targets.died(scenario.target);
        if (gone !== null) throw new Error(`the ${scenario.target} server is gone (${gone})`);
        if (quiet.waitedMs > 2_000) log(`  (waited ${(quiet.waitedMs / 1_000).toFixed(0)} s for foreign CPU load to settle${quiet.busyPct !== null && quiet.busyPct > QUIET_THRESHOLD ? `; still ${quiet.busyPct.toFixed(0)} % busy` : ""})`);
        const watch = new CpuWatch(targets.pids);
        const onSpawn = (pid: number) => watch.watch(pid);
        const estateAtStart = targets.estate[scenario.target]?.size ?? null;
        let m: Measurement;
        let background: Sample["background"];
        try {
          const durationS = scenario.maxDurationS ?? config.durationS;
          // The background load starts first and outlasts the measurement, so it covers all of it.
          const loads = (scenario.background ?? []).map((b) =>
            runWorker("autocannon", backgroundSpec(b, targets), durationS + BACKGROUND_MARGIN_S * 2, b.connections, onSpawn).then((r) => ({
              name: b.name,
              answered: r.totalRequests,
              p50Ms: r.p50Ms,
              errors: r.errors,
              unexpected: r.unexpected,
            })),
          );
          if (loads.length > 0) await new Promise((resolve) => setTimeout(resolve, BACKGROUND_MARGIN_S * 1_000));
          m =
            tool === "wrk"
              ? await runWrk(spec, durationS, connectionsOf(scenario), scratch, scenario.name, onSpawn)
              : await runWorker(tool, spec, durationS, connectionsOf(scenario), onSpawn);
          background = await Promise.all(loads);
        } catch (err) {
          const died = targets.died(scenario.target);
          throw died === null ? err : new Error(`${scenario.name}: the ${scenario.target} server is gone (${died})`, { cause: err });
        }
        const cpu = watch.stop();
        grew(scenario, m.totalRequests);
        noteEstate(targets, scenario.target, estateAtStart);
        const serverPid = targets.pidOf[scenario.target];
        const serverMs = serverPid === undefined ? undefined : cpu?.cpuMsByPid.get(serverPid);
        sample = {
          ...m,
          foreignPct: cpu?.foreignPct ?? null,
          oursPct: cpu?.oursPct ?? null,
          round,
          stealPct: cpu?.stealPct ?? null,
          serverUsPerReq: serverMs === undefined || m.totalRequests === 0 ? null : (serverMs * 1_000) / m.totalRequests,
          attempt,
          estate: estateAtStart,
          connections: Math.min(connectionsOf(scenario), spec.maxRequests ?? Number.POSITIVE_INFINITY),
          background,
        };
        const noisy = isNoisy(sample);
        log(
          `  ${scenario.name.padEnd(30)} ${tool.padEnd(10)} ${formatRate(m.reqPerSec).padStart(8)} req/s  p50 ${formatMs(m.p50Ms)} ms  p99 ${formatMs(m.p99Ms)} ms` +
            (sample.serverUsPerReq !== null ? `  server ${sample.serverUsPerReq.toFixed(1)} µs CPU/req` : "") +
            (cpu !== null ? `  [foreign ${cpu.foreignPct.toFixed(1)} %]` : "") +
            (estateAtStart !== null ? `  estate ${estateAtStart}` : "") +
            (m.errors > 0 ? `  socket errors ${m.errors}` : "") +
            (m.unexpected > 0 ? `  UNEXPECTED STATUS ${m.unexpected}` : "") +
            background.map((b) => `  [meanwhile ${b.name}: ${b.answered} answers, p50 ${formatMs(b.p50Ms)} ms${b.errors + b.unexpected > 0 ? `, ${b.errors} errors, ${b.unexpected} bad status` : ""}]`).join("") +
            (noisy ? (attempt < attempts ? "  disturbed by foreign load: again" : "  disturbed by foreign load: kept, marked (*)") : ""),
        );
        if (!noisy) break;
      }
      return sample!;
    };

    for (let round = 0; round < config.rounds; round++) {
      // Forward, then backward (ABBA): neighbours in SCENARIOS (bare, ours-v2, ours-v1) stay next to
      // each other, so a slow phase of the machine hits both sides of a comparison, and the order
      // effect cancels over pairs of rounds.
      const order = round % 2 === 0 ? [...config.scenarios] : [...config.scenarios].reverse();
      log(`\nround ${round + 1}/${config.rounds}: ${order.map((s) => s.name).join(", ")}`);
      for (const scenario of order) {
        const spec = specs.get(scenario.name)!;
        const tools = toolsOf(scenario);
        // A bounded scenario warms up with a fifth of its requests (none if that is less than one).
        const warmupMax = spec.maxRequests === undefined ? undefined : Math.floor(spec.maxRequests / 5);
        if (config.warmupS > 0 && warmupMax !== 0) {
          const warmupS = scenario.maxDurationS ?? config.warmupS;
          const warm =
            tools[0] === "wrk"
              ? await runWrk(spec, warmupS, connectionsOf(scenario), scratch, `${scenario.name}-warmup`, undefined, warmupMax)
              : await runWorker(tools[0] === "node-http" ? "node-http" : "autocannon", spec, warmupS, connectionsOf(scenario), undefined, warmupMax);
          grew(scenario, warm.totalRequests);
        }
        for (const tool of tools) {
          const sample = await measureOnce(scenario, tool, spec, round);
          const key = `${scenario.name}\u0000${tool}`;
          measured.set(key, [...(measured.get(key) ?? []), sample]);
        }
      }
    }

    const aggregates: Aggregate[] = [];
    for (const scenario of config.scenarios) {
      for (const tool of ["autocannon", "wrk", "node-http"] as const) {
        const runs = measured.get(`${scenario.name}\u0000${tool}`);
        if (runs !== undefined) aggregates.push(aggregate(scenario, tool, runs));
      }
    }
    const allVerdicts = verdicts(aggregates);
    const runNotes = notes(aggregates, closing, targets.estate);
    const estates = ESTATE_TARGETS.flatMap((t) => (targets.estate[t] !== undefined ? [targets.estate[t]!] : []));
    const report: RunReport = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      config: { ...config, scenarios: config.scenarios.map((s) => s.name) },
      ...(targets.replayCheck !== undefined ? { replayCheck: targets.replayCheck } : {}),
      aggregates,
      verdicts: allVerdicts,
      estates,
      notes: runNotes,
    };

    log(`\nresults (median of ${config.rounds} round${config.rounds === 1 ? "" : "s"})`);
    log(textTable(RESULT_HEADER, resultRows(aggregates)));
    if (allVerdicts.length > 0) {
      log("");
      log(textTable(VERDICT_HEADER, verdictRows(allVerdicts)));
    }
    if (estates.length > 0) {
      log("");
      log(textTable(SEED_HEADER, seedRows(estates)));
    }
    log("");
    for (const line of [...runNotes.saturation, ...runNotes.p99, ...runNotes.isolation, ...runNotes.estate, ...runNotes.other]) log(`- ${line}`);

    const bar = allVerdicts.filter((v) => v.label.startsWith("ours-v2 GET / bare"));
    if (bar.length > 0) {
      // Judge by the generator that drives the bare server hardest: under it the server core, not the
      // load generator, is the bottleneck, which is what the ratio is about.
      const bareRate = (tool: string) => aggregates.find((a) => a.scenario.name === "bare-node" && a.tool === tool)?.reqPerSec ?? 0;
      const primary = [...bar].sort((x, y) => bareRate(y.tool) - bareRate(x.tool))[0]!;
      log(
        `\n85 % BAR (ours-v2 GET / bare node:http, judged by ${primary.tool}, the generator that drives the bare server hardest): ` +
          `${formatRatio(primary.judged)}${primary.paired.length > 0 ? " (median of the per-round paired ratios)" : ""} -> ${primary.met === true ? "MET" : "NOT MET"}` +
          (bar.length > 1 ? ` (${bar.map((v) => `${v.tool} ${formatRatio(v.judged)}`).join(", ")})` : ""),
      );
    }

    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `bench-${startedAt.replace(/[:.]/g, "-")}.json`);
    const json = JSON.stringify(report, null, 2);
    writeFileSync(file, json);
    writeFileSync(join(RESULTS_DIR, "latest.json"), json);
    log(`results: ${file}`);
    if (config.writeDocs) {
      refreshDocs(report);
      log(`docs: refreshed the generated section of ${DOCS}`);
    } else {
      log("docs: not refreshed (not a full default run; BENCH_WRITE_DOCS=1 forces it)");
    }

    const invalid = aggregates.filter((a) => a.unexpected > 0);
    if (invalid.length > 0) {
      log(`\nERROR: unexpected statuses in ${invalid.map((a) => `${a.scenario.name}/${a.tool}`).join(", ")}: the measurement is not valid`);
      return 1;
    }
    return 0;
  } finally {
    await stopAll();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Widens the target's range of estate sizes seen at the start of a measurement. */
function noteEstate(targets: Targets, target: Target, size: number | null): void {
  const estate = targets.estate[target];
  if (estate === undefined || size === null) return;
  estate.measuredMin = estate.measuredMin === null ? size : Math.min(estate.measuredMin, size);
  estate.measuredMax = estate.measuredMax === null ? size : Math.max(estate.measuredMax, size);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping every process the benchmark started ...\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stopAll();
  process.exitCode = 1;
}
