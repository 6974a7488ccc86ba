#!/usr/bin/env node
// Entry point of the `imds-lab` command. It runs the JavaScript compiled into dist/ by
// scripts/build.mjs (npm ci, npm pack) — starting there takes a fraction of transpiling on every
// start. In a checkout never built, half-built, or whose sources changed after the build, it loads
// the TypeScript sources through tsx instead, so an edit is never hidden behind a stale dist/.
// IMDS_LAB_FROM_SOURCE=1 forces the sources. docs/testing.md, "The compiled CLI".
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";

const source = new URL("../src/", import.meta.url);
const stamp = new URL("../dist/build-stamp.json", import.meta.url);

/** Newest modification time of what the build reads: the non-test sources and the dashboard's files. */
function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(new URL(`${entry.name}/`, dir)));
    else if (!entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(new URL(entry.name, dir)).mtimeMs);
  }
  return newest;
}

function distIsCurrent() {
  if (process.env.IMDS_LAB_FROM_SOURCE === "1" || !existsSync(stamp)) return false;
  // An installed package ships dist/ without src/: nothing to compare against.
  if (!existsSync(source)) return true;
  const { startedMs } = JSON.parse(readFileSync(stamp, "utf8"));
  return newestSourceMs(source) < startedMs;
}

let main;
if (distIsCurrent()) {
  ({ main } = await import("../dist/cli/main.js"));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
await main(process.argv);
