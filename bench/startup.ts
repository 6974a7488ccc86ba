/**
 * `npm run bench:startup`: how long imds-lab takes to start, beside a bare node doing the least
 * of the same job in the same run (method and figures: docs/benchmarks.md, "Start-up").
 *
 *   time-to-ready  spawn of `imds-lab serve --imds-port 0 --api-port 0 --ephemeral` until its
 *                  first stdout line (the ready line), beside a bare node:http server's listen
 *                  on 127.0.0.1:0 until its first stdout line;
 *   resolve        spawn of `imds-lab resolve --image FILE` until it exits, beside `node -e 0`.
 *
 * The four are measured in turn within each round, so a pair shares the machine's state; each
 * ratio is the median of the per-round ratios. Only 127.0.0.1 is listened on.
 *
 * Environment (optional):
 *   BENCH_ROUNDS  rounds (default 15)
 *   BENCH_BIN     the bin to start (default bin/imds-lab.js of this checkout)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, textTable } from "./lib/report.ts";

const BIN = process.env.BENCH_BIN ?? fileURLToPath(new URL("../bin/imds-lab.js", import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
/** Ratios the issue sets as targets: ready ≤ 4× a bare listen, a short command ≤ 4× a bare start. */
const TARGET_RATIO = 4;

const BARE_LISTEN = `require("node:http").createServer((q, s) => s.end()).listen(0, "127.0.0.1", () => process.stdout.write('{"ready":true}\\n'))`;

/** Milliseconds from spawn until the first stdout line; the process is then stopped. */
function timeToFirstLine(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
    let seen = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (seen || !chunk.includes(10)) return;
      seen = true;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.once("exit", () => resolve(ms));
      child.kill("SIGTERM");
    });
    child.once("exit", (code) => {
      if (!seen) reject(new Error(`${args.join(" ")} exited with ${code} before its first line`));
    });
  });
}

/** Milliseconds from spawn until the process exits (it must exit 0). */
function timeToExit(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`${args.join(" ")} exited with ${code}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

interface Pair {
  readonly ours: number[];
  readonly bare: number[];
}

function summary(name: string, bareName: string, pair: Pair): string[] {
  const ratios = pair.ours.map((ms, i) => ms / pair.bare[i]!);
  const ratio = median(ratios);
  return [name, median(pair.ours).toFixed(0), bareName, median(pair.bare).toFixed(0), `${ratio.toFixed(2)}x`, ratio <= TARGET_RATIO ? "met" : "missed"];
}

const dir = mkdtempSync(join(tmpdir(), "imds-lab-startup-"));
try {
  const image = join(dir, "image.json");
  writeFileSync(image, JSON.stringify({ Images: [{ ImageId: "ami-0123456789abcdef0", ImdsSupport: "v2.0" }] }));
  const ready: Pair = { ours: [], bare: [] };
  const resolve: Pair = { ours: [], bare: [] };
  // One unmeasured round warms the file cache, as a second start in a CI job would find it.
  for (let round = -1; round < ROUNDS; round += 1) {
    const bareListen = await timeToFirstLine(["-e", BARE_LISTEN]);
    const serve = await timeToFirstLine([BIN, "serve", "--imds-port", "0", "--api-port", "0", "--ephemeral"]);
    const bareStart = await timeToExit(["-e", "0"]);
    const resolveMs = await timeToExit([BIN, "resolve", "--image", image]);
    if (round < 0) continue;
    ready.bare.push(bareListen);
    ready.ours.push(serve);
    resolve.bare.push(bareStart);
    resolve.ours.push(resolveMs);
  }
  process.stdout.write(`imds-lab start-up, ${ROUNDS} rounds, node ${process.version}, bin ${BIN}\n\n`);
  process.stdout.write(
    `${textTable(
      ["command", "median ms", "beside", "median ms", "paired ratio", `target ≤ ${TARGET_RATIO}x`],
      [summary("serve → ready line", "bare node:http listen", ready), summary("resolve --image FILE", "node -e 0", resolve)],
    )}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
