/**
 * What naming IMDSv1 callers before answering costs them (docs/benchmarks.md, "IMDSv1 caller
 * identification"): one-shot `curl` processes ask the emulator's IMDS without a token, first with
 * caller identification on (the default), then with --no-attribute-callers, interleaved in rounds;
 * curl's own time_total (connect to last byte, excluding its start-up) is compared, and so are
 * token-carrying requests, which must cost nothing. Only 127.0.0.1 is targeted.
 *
 *   node --import tsx bench/v1-attribution-latency.ts [requests per mode and round, default 100] [rounds, default 3]
 */
import { spawn } from "node:child_process";
import { startEmulatorProcess, type EmulatorProcess } from "../test/support/emulator-process.ts";

const PATH = "/latest/meta-data/instance-id";

function curl(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const child = spawn("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", ...args], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.once("error", reject);
    child.once("exit", () => {
      const [status, seconds] = out.split(" ");
      if (status !== "200") reject(new Error(`curl: ${out}`));
      else resolve(Number(seconds) * 1000);
    });
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(emulator: EmulatorProcess, count: number, token: string | null): Promise<number[]> {
  const url = `${emulator.ready.imds}${PATH}`;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await curl(token === null ? [url] : ["-H", `X-aws-ec2-metadata-token: ${token}`, url]));
  return out;
}

async function tokenOf(emulator: EmulatorProcess): Promise<string> {
  const res = await fetch(`${emulator.ready.imds}/latest/api/token`, { method: "PUT", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "600" } });
  return res.text();
}

const count = Number(process.argv[2] ?? 100);
const rounds = Number(process.argv[3] ?? 3);
const samples: Record<string, number[]> = { "v1, identified": [], "v1, attribution off": [], "v2, identification on": [], "v2, attribution off": [] };
for (let round = 0; round < rounds; round++) {
  for (const off of [false, true]) {
    const emulator = await startEmulatorProcess(off ? ["--no-attribute-callers"] : []);
    try {
      const token = await tokenOf(emulator);
      await measure(emulator, 5, null); // warm-up: the addon's first call loads the kernel's tcp_diag
      samples[off ? "v1, attribution off" : "v1, identified"]!.push(...(await measure(emulator, count, null)));
      samples[off ? "v2, attribution off" : "v2, identification on"]!.push(...(await measure(emulator, count, token)));
    } finally {
      await emulator.stop();
    }
  }
}
console.log(`| requests (curl, one process each) | n | p50 ms | p90 ms | p99 ms | max ms |`);
console.log(`|---|---|---|---|---|---|`);
for (const [name, values] of Object.entries(samples)) {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(2);
  console.log(`| ${name} | ${sorted.length} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 90))} | ${f(percentile(sorted, 99))} | ${f(sorted[sorted.length - 1]!)} |`);
}
