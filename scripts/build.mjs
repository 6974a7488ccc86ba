// `npm run build`, also run by `prepare` (npm ci / npm install in a checkout) and `prepack`
// (npm pack / npm publish): compiles src/ with tsc, copies the dashboard's static files beside
// their compiled reader, writes build-stamp.json, and only then puts the result in place of dist/.
// bin/imds-lab.js runs dist/ only when that stamp exists and no source changed after the build
// started (docs/testing.md, "The compiled CLI"), so a half-built or stale dist/ is never used, and
// a CLI started while a build runs finds either the old dist/ or the new one.
import { spawnSync } from "node:child_process";
import { cpSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = new URL("../dist/", import.meta.url);
// Inside node_modules (same file system, ignored by git and the linter) until it is complete.
const staging = new URL(`../node_modules/.cache/imds-lab-dist-${process.pid}/`, import.meta.url);
const startedMs = Date.now();

rmSync(staging, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", fileURLToPath(staging)], { cwd: root, stdio: "inherit" });
// tsc exits 2 when it reports type errors but still wrote every file: the JavaScript is then what
// tsx would run from the sources. `prepare` (npm ci) accepts that, so a type error does not fail an
// install (`npm run typecheck` is the gate for types); `npm run build` and `prepack` do not.
const emittedDespiteTypeErrors = result.status === 2 && process.argv.includes("--allow-type-errors");
if (result.status !== 0 && !emittedDespiteTypeErrors) {
  rmSync(staging, { recursive: true, force: true });
  console.error("imds-lab: tsc failed; dist/ is unchanged");
  process.exit(result.status ?? 1);
}
if (emittedDespiteTypeErrors) console.error("imds-lab: dist/ built despite the type errors above");
cpSync(new URL("../src/dashboard/web/", import.meta.url), new URL("dashboard/web/", staging), { recursive: true });
writeFileSync(new URL("build-stamp.json", staging), `${JSON.stringify({ startedMs })}\n`);
rmSync(dist, { recursive: true, force: true });
try {
  renameSync(staging, dist);
} catch (err) {
  // A node_modules linked in from another file system.
  if (err.code !== "EXDEV") throw err;
  cpSync(staging, dist, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
}
