// `npm ci` / `npm install` runs this (package.json "install"): it builds the ip-ttl and sock-diag
// addons with node-gyp. A failed build must not fail the install: imds-lab then falls back to the
// simulated hop limit (docs/behaviour.md, "Hop limit") and to reading /proc/net/tcp for IMDSv1
// callers (docs/behaviour.md, "IMDSv1 callers"), so this script always exits 0.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const addonDir = join(here, "ip-ttl");
const require = createRequire(import.meta.url);

/** Our devDependency in a checkout; in an installed package, the node-gyp npm itself ships and names. */
function nodeGypBin() {
  try {
    return require.resolve("node-gyp/bin/node-gyp.js");
  } catch {
    const npmGyp = process.env.npm_config_node_gyp;
    return npmGyp !== undefined && existsSync(npmGyp) ? npmGyp : null;
  }
}

/** Headers installed beside node (distro packages) build offline; otherwise node-gyp downloads them. */
function localHeaders() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, "include", "node", "common.gypi")) ? [`--nodedir=${prefix}`] : [];
}

const gyp = nodeGypBin();
if (process.platform !== "linux" && process.platform !== "darwin") {
  console.warn(`imds-lab: ip-ttl addon skipped on ${process.platform}; the hop limit is simulated`);
} else if (gyp === null) {
  console.warn("imds-lab: node-gyp was not found; the hop limit is simulated");
} else {
  const result = spawnSync(process.execPath, [gyp, "rebuild", ...localHeaders()], { cwd: addonDir, stdio: ["ignore", "inherit", "inherit"] });
  const built = existsSync(join(addonDir, "build", "Release", "ip_ttl.node"));
  if (result.status !== 0 || !built) console.warn("imds-lab: building the ip-ttl addon failed; the hop limit is simulated");
}
// netlink sock_diag is Linux's alone.
if (process.platform === "linux" && gyp !== null) {
  const sockDiagDir = join(here, "sock-diag");
  const result = spawnSync(process.execPath, [gyp, "rebuild", ...localHeaders()], { cwd: sockDiagDir, stdio: ["ignore", "inherit", "inherit"] });
  const built = existsSync(join(sockDiagDir, "build", "Release", "sock_diag.node"));
  if (result.status !== 0 || !built) console.warn("imds-lab: building the sock-diag addon failed; IMDSv1 callers are found through /proc/net/tcp");
}
process.exit(0);
