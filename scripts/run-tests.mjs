// Runs every unit test (beside the code in src/) and every end-to-end suite (test/) with
// node's own test runner. Node 20 does not expand globs itself, so the files are listed here.
// The spec reporter is for people; a TAP copy is parsed to print the plain closing line
// "N passed, N failed" that CI reads.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
let files = [...findTests("src"), ...findTests("test")].sort();
if (filters.length > 0) files = files.filter((f) => filters.some((x) => f.includes(x)));
mkdirSync("test-output", { recursive: true });
// One file per run, so two runs at once (a developer's and an editor's) never mix their counts.
const tap = join("test-output", `tap-${process.pid}.txt`);
const result = spawnSync(
  process.execPath,
  [
    "--import", "tsx", "--test",
    "--test-reporter=spec", "--test-reporter-destination=stdout",
    "--test-reporter=tap", `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: "inherit" },
);
const text = readFileSync(tap, "utf8");
const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)$`, "m")) ?? [])[1] ?? 0);
console.log(`${count("pass")} passed, ${count("fail")} failed, ${count("skipped")} skipped`);
rmSync(tap, { force: true });
process.exit(result.status ?? 1);
