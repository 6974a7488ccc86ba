/** Machine facts, statistics and the text/markdown tables of a benchmark run. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, release, totalmem } from "node:os";
import { createRequire } from "node:module";

export interface MachineInfo {
  readonly nproc: number;
  readonly cpuModel: string;
  readonly node: string;
  readonly kernel: string;
  readonly memoryGiB: number;
  readonly autocannon: string;
  readonly wrk: string | null;
  readonly moto: string | null;
  readonly pinned: boolean;
}

export function machineInfo(wrk: string | null, pinned: boolean): MachineInfo {
  let cpuModel = "unknown";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line !== undefined) cpuModel = line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // not Linux
  }
  let autocannon = "unknown";
  try {
    const require = createRequire(import.meta.url);
    autocannon = (require("autocannon/package.json") as { version: string }).version;
  } catch {
    // reported as unknown
  }
  const moto = spawnSync("python3", ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8", timeout: 20_000 });
  return {
    nproc: availableParallelism(),
    cpuModel,
    node: process.version,
    kernel: release(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    autocannon,
    wrk,
    moto: moto.status === 0 ? moto.stdout.trim() : null,
    pinned,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function formatRate(n: number): string {
  if (!Number.isFinite(n)) return "–";
  // Slow scenarios (moto's 1000-instance page: well under 1 req/s) need decimals.
  if (n < 10 && !Number.isInteger(n)) return n.toFixed(n < 1 ? 2 : 1);
  return Math.round(n).toLocaleString("en-US").replace(/,/g, " ");
}

export function formatMs(n: number): string {
  if (!Number.isFinite(n)) return "–";
  return n < 10 ? n.toFixed(2) : n.toFixed(1);
}

export function formatRatio(n: number): string {
  if (!Number.isFinite(n)) return "–";
  return n >= 2 ? `${n.toFixed(1)}x` : `${(n * 100).toFixed(1)} %`;
}

/** A plain aligned table for the terminal. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? "---" : "---:"))), ...rows.map(line)].join("\n");
}
