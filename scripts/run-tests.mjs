// Runs the unit tests (beside the code in src/) and the end-to-end suites (test/) with node's own
// test runner, in two tiers: `node scripts/run-tests.mjs [--unit|--e2e] [path filters...]`.
//
// - Unit tests run in ONE process (scripts/test-in-one-process.mjs): tsx and the shared modules
//   load once instead of once per file.
// - Each end-to-end suite runs in its own process, several at a time (IMDS_LAB_TEST_JOBS, default
//   cores + 1: the suites mostly wait on the emulator and client processes they start). The suites
//   in EXCLUSIVE run alone, after the others.
// - The unit process is one of those jobs, started first.
//
// A job's spec output is printed as one block when it ends, so parallel jobs never interleave. Each
// job writes a TAP copy; their counts are summed into the plain closing line
// "N passed, N failed, N skipped" that CI reads (failed counts cancelled tests too).
// docs/testing.md, "Running imds-lab's own tests", says which suites run alone and why.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

/**
 * Suites that do not share the machine with another suite:
 * - hop-limit-netns and run-sandbox send over a routed hop between network namespaces and judge a
 *   dropped token answer by the client's 1 s timeout (botocore's default), so a busy CPU could turn
 *   a late answer into a false "dropped";
 * - dashboard drives chromium with 15 s waits for the page; beside two other suites on a loaded
 *   2-core machine the page did not render its rows in time (5 of its 6 tests failed), alone it passes.
 */
const EXCLUSIVE = ["test/e2e/hop-limit-netns.test.ts", "test/e2e/run-sandbox.test.ts", "test/e2e/dashboard.test.ts"];

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const tiers = args.includes("--unit") ? ["unit"] : args.includes("--e2e") ? ["e2e"] : ["unit", "e2e"];
const filters = args.filter((a) => !a.startsWith("--"));
const selected = (files) => (filters.length === 0 ? files : files.filter((f) => filters.some((x) => f.includes(x))));
const unitFiles = tiers.includes("unit") ? selected(findTests("src")) : [];
const e2eFiles = tiers.includes("e2e") ? selected(findTests("test")) : [];
const slots = Math.max(1, Number(process.env.IMDS_LAB_TEST_JOBS) || availableParallelism() + 1);

mkdirSync("test-output", { recursive: true });
// Files named after this run's pid, so two runs at once (a developer's and an editor's) never mix their counts.
const tapOf = (n) => join("test-output", `tap-${process.pid}-${n}.txt`);

/** One process running `files` as suites; its spec output is kept until it ends. */
function job(name, files, exclusive = false) {
  return { name, files, exclusive };
}
const jobs = [];
if (unitFiles.length > 0) jobs.push(job(`unit tests (${unitFiles.length} files)`, unitFiles));
for (const file of e2eFiles) jobs.push(job(file, [file], EXCLUSIVE.includes(file)));
const shared = jobs.filter((j) => !j.exclusive);
const alone = jobs.filter((j) => j.exclusive);

function run(j, n) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import", "tsx",
        "--test-reporter=spec", "--test-reporter-destination=stdout",
        "--test-reporter=tap", `--test-reporter-destination=${tapOf(n)}`,
        "scripts/test-in-one-process.mjs",
        ...j.files,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const output = [];
    child.stdout.on("data", (chunk) => output.push(chunk));
    child.stderr.on("data", (chunk) => output.push(chunk));
    child.on("close", (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(Buffer.concat(output));
      console.log(`— ${j.name}: ${code === 0 ? "ok" : `exit ${code ?? signal}`} in ${seconds.toFixed(1)} s\n`);
      resolve({ name: j.name, ok: code === 0, seconds, tap: tapOf(n) });
    });
  });
}

/** Runs `list` with at most `width` at once, in order. */
async function pool(list, width, first) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const n = next++;
      results[n] = await run(list[n], first + n);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, list.length) }, worker));
  return results;
}

const started = performance.now();
const results = [...(await pool(shared, slots, 0)), ...(await pool(alone, 1, shared.length))];

const totals = { pass: 0, fail: 0, cancelled: 0, skipped: 0 };
for (const r of results) {
  let text = "";
  try {
    text = readFileSync(r.tap, "utf8");
  } catch {
    // A job that died before its reporter wrote anything counts through its exit code only.
  }
  for (const key of Object.keys(totals)) totals[key] += Number((text.match(new RegExp(`^# ${key} (\\d+)$`, "m")) ?? [])[1] ?? 0);
  rmSync(r.tap, { force: true });
}
const failedJobs = results.filter((r) => !r.ok).map((r) => r.name);
const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 5);
console.log(`${results.length} jobs, ${slots} at a time, in ${((performance.now() - started) / 1000).toFixed(1)} s; slowest: ${slowest.map((r) => `${r.name} ${r.seconds.toFixed(1)} s`).join(", ")}`);
if (failedJobs.length > 0) console.log(`failed: ${failedJobs.join(", ")}`);
if (jobs.length === 0) console.log(`no test file matches ${filters.join(" ")}`);
console.log(`${totals.pass} passed, ${totals.fail + totals.cancelled} failed, ${totals.skipped} skipped`);
// exitCode, not exit(): a pipe (CI's log) must receive every report and the closing line first.
process.exitCode = failedJobs.length > 0 || jobs.length === 0 ? 1 : 0;
