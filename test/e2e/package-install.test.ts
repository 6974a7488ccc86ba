/**
 * The package as users get it: `npm pack` on a copy of this checkout (its prepack compiles dist/,
 * unless this checkout's dist/ is current: then that one is packed),
 * `npm install` of the tarball into an empty folder with dependencies from the registry, then the
 * installed bin and `import { startImdsLab } from "imds-lab"` from that folder.
 *
 * Where no prebuilt binary can be downloaded, installing better-sqlite3 compiles SQLite: a minute
 * of CPU, measured at 10 min of wall time on a busy 2-core machine. That build is better-sqlite3's,
 * not ours, so by default the install runs with --ignore-scripts, reuses this checkout's compiled
 * better-sqlite3 when the installed version is the same (else compiles it), and then runs
 * imds-lab's own install script with `npm rebuild imds-lab`. IMDS_LAB_PACKAGE_TEST_FULL=1 installs
 * with every script, exactly as a user's `npm install imds-lab` does (docs/testing.md).
 */
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TOKEN_TTL = "X-aws-ec2-metadata-token-ttl-seconds";
const TOKEN = "X-aws-ec2-metadata-token";
const run = promisify(execFile);
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/** What `files` in package.json ships: the compiled code, the bin, the addons' sources and build script. */
const SHIPPED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^bin\/imds-lab\.js$/,
  /^dist\//,
  /^native\/build\.mjs$/,
  /^native\/ip-ttl\/(binding\.gyp|ip_ttl\.c)$/,
  /^native\/sock-diag\/(binding\.gyp|sock_diag\.c)$/,
];

/** The rule of bin/imds-lab.js: built, and no source but tests changed since the build started. */
function distIsCurrent(): boolean {
  const stamp = join(ROOT, "dist", "build-stamp.json");
  if (!existsSync(stamp)) return false;
  const { startedMs } = JSON.parse(readFileSync(stamp, "utf8")) as { startedMs: number };
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : e.name.endsWith(".test.ts") ? 0 : statSync(join(dir, e.name)).mtimeMs)));
  return newest(join(ROOT, "src")) < startedMs;
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run("npm", args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } });
  return stdout;
}

async function imdsV2InstanceId(imds: string): Promise<string> {
  const token = await fetch(`${imds}/latest/api/token`, { method: "PUT", headers: { [TOKEN_TTL]: "60" } });
  assert.equal(token.status, 200);
  const id = await fetch(`${imds}/latest/meta-data/instance-id`, { headers: { [TOKEN]: await token.text() } });
  assert.equal(id.status, 200);
  return id.text();
}

describe("package install", { timeout: 20 * 60_000 }, () => {
  let work: string;
  let tarball: string;
  let consumer: string;
  let installed: string;

  const timings: string[] = [];
  before(
    async () => {
      work = mkdtempSync(join(tmpdir(), "imds-lab-package-"));
      // A copy, so packing (which rebuilds dist/) never touches this checkout's dist/.
      const source = join(work, "source");
      mkdirSync(source);
      for (const entry of [
        "package.json",
        "README.md",
        "LICENSE",
        "tsconfig.json",
        "tsconfig.build.json",
        "bin",
        "src",
        "scripts/build.mjs",
        "native/build.mjs",
        "native/ip-ttl/binding.gyp",
        "native/ip-ttl/ip_ttl.c",
        "native/sock-diag/binding.gyp",
        "native/sock-diag/sock_diag.c",
      ]) {
        if (existsSync(join(ROOT, entry))) cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
      }
      symlinkSync(join(ROOT, "node_modules"), join(source, "node_modules"));
      let started = Date.now();
      // A current dist/ is what prepack would build again (a minute of tsc): pack that one instead.
      const reuse = distIsCurrent();
      if (reuse) cpSync(join(ROOT, "dist"), join(source, "dist"), { recursive: true });
      const packed = (await npm(["pack", "--pack-destination", work, "--json", ...(reuse ? ["--ignore-scripts"] : [])], source)).trim();
      tarball = join(work, (JSON.parse(packed.slice(packed.indexOf("["))) as { filename: string }[])[0]!.filename);
      timings.push(`npm pack (${reuse ? "of the current dist/" : "with the prepack build"}): ${((Date.now() - started) / 1000).toFixed(1)} s`);
      consumer = join(work, "consumer");
      mkdirSync(consumer);
      writeFileSync(join(consumer, "package.json"), `${JSON.stringify({ name: "consumer", private: true, type: "module" })}\n`);
      started = Date.now();
      installed = join(consumer, "node_modules", "imds-lab");
      // --prefer-offline: what npm ci put in the cache serves the dependencies without asking the registry again.
      const install = ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball];
      if (process.env.IMDS_LAB_PACKAGE_TEST_FULL === "1") {
        await npm(install, consumer);
      } else {
        await npm([...install, "--ignore-scripts"], consumer);
        const sqlite = join(consumer, "node_modules", "better-sqlite3");
        const ours = join(ROOT, "node_modules", "better-sqlite3");
        const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string }).version;
        const binary = join("build", "Release", "better_sqlite3.node");
        if (existsSync(join(ours, binary)) && versionOf(ours) === versionOf(sqlite)) cpSync(join(ours, binary), join(sqlite, binary));
        else await npm(["rebuild", "better-sqlite3"], consumer);
        await npm(["rebuild", "imds-lab"], consumer);
      }
      timings.push(`npm install of the tarball: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    },
    { timeout: 20 * 60_000 },
  );

  after(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it("package: the tarball ships only what runs (no sources, tests or build output of the addon)", async (t) => {
    for (const line of timings) t.diagnostic(line);
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.split("\n").filter((f) => f !== "" && !f.endsWith("/")).map((f) => f.replace(/^package\//, ""));
    for (const file of files) assert.ok(SHIPPED.some((re) => re.test(file)), `${file} is shipped`);
    assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("dist/cli/main.js"));
    assert.ok(files.includes("dist/dashboard/web/index.html"), "the dashboard's files are beside their compiled reader");
    assert.ok(!files.some((f) => /\.test\.(js|d\.ts)$/.test(f)), "no compiled tests");
  });

  it("package: the install script built the ip-ttl addon wherever this checkout's build did", () => {
    if (!existsSync(join(ROOT, "native/ip-ttl/build/Release/ip_ttl.node"))) return;
    assert.ok(existsSync(join(installed, "native/ip-ttl/build/Release/ip_ttl.node")));
  });

  it("package: the install script built the sock-diag addon wherever this checkout's build did", () => {
    if (!existsSync(join(ROOT, "native/sock-diag/build/Release/sock_diag.node"))) return;
    assert.ok(existsSync(join(installed, "native/sock-diag/build/Release/sock_diag.node")));
  });

  it("package: the installed bin prints its version and serves IMDSv2 on 127.0.0.1", async () => {
    const bin = join(installed, "bin", "imds-lab.js");
    assert.equal((await run(process.execPath, [bin, "--version"])).stdout, `${version}\n`);
    const child = spawn(process.execPath, [bin, "serve", "--imds-port", "0", "--api-port", "0", "--ephemeral", "--http-tokens", "required"], {
      cwd: consumer,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once("line", resolve);
        child.once("exit", (code) => reject(new Error(`serve exited with ${code} before its ready line`)));
      });
      const ready = JSON.parse(line) as { imds: string; defaultInstanceId: string };
      assert.equal((await fetch(`${ready.imds}/latest/meta-data/instance-id`)).status, 401, "IMDSv1 refused");
      assert.equal(await imdsV2InstanceId(ready.imds), ready.defaultInstanceId);
    } finally {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("package: import { startImdsLab } from \"imds-lab\" runs in the consumer's own process and stops cleanly", async () => {
    const script = join(consumer, "embed.mjs");
    writeFileSync(
      script,
      `import { startImdsLab } from "imds-lab";
const lab = await startImdsLab({ httpTokens: "required" });
const token = await (await fetch(lab.imds + "/latest/api/token", { method: "PUT", headers: { "${TOKEN_TTL}": "60" } })).text();
const id = await (await fetch(lab.imds + "/latest/meta-data/instance-id", { headers: { "${TOKEN}": token } })).text();
await lab.stop();
console.log(JSON.stringify({ id, defaultInstanceId: lab.defaultInstanceId, instances: lab.instances().length }));
`,
    );
    // It must end by itself once stopped: nothing left open keeps node alive.
    const { stdout } = await run(process.execPath, [script], { cwd: consumer, timeout: 60_000 });
    const result = JSON.parse(stdout) as { id: string; defaultInstanceId: string; instances: number };
    assert.equal(result.id, result.defaultInstanceId);
    assert.equal(result.instances, 1);
  });

  it("package: a TypeScript consumer type-checks against the shipped declarations", async () => {
    writeFileSync(
      join(consumer, "typed.ts"),
      `import { startImdsLab, type ImdsLab, type ImdsLabOptions } from "imds-lab";
const options: ImdsLabOptions = { httpTokens: "required", hopLimit: 2 };
const lab: ImdsLab = await startImdsLab(options);
const tokens: "optional" | "required" | undefined = lab.instances()[0]?.metadataOptions.httpTokens;
// @ts-expect-error httpTokens is "optional" or "required"
await startImdsLab({ httpTokens: "maybe" });
await lab.stop();
export { tokens };
`,
    );
    const typeRoots = join(ROOT, "node_modules", "@types");
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, types: ["node"], typeRoots: [typeRoots] }, files: ["typed.ts"] }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", consumer]).catch((err: { stdout: string }) => ({ stdout: err.stdout, failed: true }));
    assert.ok(!("failed" in result), `tsc reported:\n${result.stdout}`);
    assert.ok(readdirSync(join(installed, "dist")).includes("index.d.ts"));
  });
});
