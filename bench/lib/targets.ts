/**
 * Starting the servers under test (each pinned to the server core) and turning a scenario into
 * the request a load generator sends. Shared by bench/run.ts and bench/profile.ts.
 */
import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BIN, startEmulatorProcess, type ReadyLine } from "../../test/support/emulator-process.ts";
import type { LoadSpec } from "./loadgen.ts";
import { canPin, pinPid, SERVER_CORE, startServer, track } from "./processes.ts";
import { assertLoopback, comparableBytes, NODE_ADDED_HEADERS, rawRequest } from "./raw-http.ts";
import { ESTATE_BATCH, ESTATE_TARGETS, type BackgroundLoad, type Scenario, type Target } from "../scenarios.ts";
import { seedEstate, type Estate } from "./estate.ts";

const BARE_SERVER = fileURLToPath(new URL("../bare-server.ts", import.meta.url));
const TTL_RESPONSE_HEADER = "x-aws-ec2-metadata-token-ttl-seconds";

export interface StartOptions {
  /** node flags for the node servers (ours and bare), e.g. ["--cpu-prof"]: NODE_OPTIONS refuses those. */
  readonly nodeFlags?: readonly string[];
  readonly log?: (message: string) => void;
  /** Instances seeded into each estate target (ours-api, moto-api) that is started. */
  readonly estateSize?: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Targets {
  base: Partial<Record<Target, string>>;
  /** The servers' pids, for CPU accounting. */
  pids: number[];
  pidOf: Partial<Record<Target, number>>;
  /** Why a target's server is gone (exit code or signal, and its stderr's tail), or null while it runs. */
  died: (target: Target) => string | null;
  token?: string;
  /** How the bare baseline's bytes compared with ours. */
  replayCheck?: string;
  /** The seeded estate of each estate target that was started. */
  estate: Partial<Record<Target, Estate>>;
}

interface Started {
  readonly pid: number | undefined;
  readonly ready: ReadyLine;
  readonly child: ChildProcess;
  readonly stderr: () => string;
}

/** `imds-lab serve --ephemeral` on free ports, pinned to the server core. */
async function startOurs(name: string, options: StartOptions): Promise<Started> {
  const serveArgs = ["--ephemeral", "--imds-port", "0", "--api-port", "0"];
  if (options.nodeFlags === undefined) {
    // The normal path: the CLI exactly as users start it, through the test helper.
    const emulator = await startEmulatorProcess(serveArgs, { timeoutMs: 30_000 });
    track({ name, stop: async () => void (await emulator.stop()) });
    const pid = emulator.child.pid;
    if (pid !== undefined && canPin() && !pinPid(pid, SERVER_CORE)) throw new Error(`taskset could not pin ${name}`);
    return { pid, ready: emulator.ready, child: emulator.child, stderr: emulator.stderr };
  }
  const emulator = await startServer<ReadyLine>({
    name,
    command: process.execPath,
    args: [...options.nodeFlags, BIN, "serve", ...serveArgs],
    core: SERVER_CORE,
    timeoutMs: 30_000,
    isReady: (line) => {
      try {
        const parsed = JSON.parse(line) as ReadyLine;
        return parsed.ready === true ? parsed : undefined;
      } catch {
        return undefined;
      }
    },
  });
  return { pid: emulator.pid, ready: emulator.ready, child: emulator.child, stderr: emulator.stderr };
}

/** moto_server on a free port of 127.0.0.1, pinned to the server core. */
async function startMoto(name: string, log: (message: string) => void): Promise<{ base: string; pid: number; child: ChildProcess; stderr: () => string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log(`starting ${name} on 127.0.0.1:${port} ...`);
  const moto = await startServer<true>({
    name,
    command: "moto_server",
    args: ["-H", "127.0.0.1", "-p", String(port)],
    core: SERVER_CORE,
    timeoutMs: 60_000,
    probe: async () => ((await rawRequest(base, { method: "PUT", path: "/latest/api/token" }, 2_000)).status === 200 ? true : undefined),
  });
  return { base, pid: moto.pid, child: moto.child, stderr: moto.stderr };
}

export async function startTargets(needed: ReadonlySet<Target>, scratch: string, options: StartOptions = {}): Promise<Targets> {
  const log = options.log ?? (() => undefined);
  const deaths: Partial<Record<Target, () => string | null>> = {};
  const targets: Targets = { base: {}, pids: [], pidOf: {}, died: (t) => deaths[t]?.() ?? null, estate: {} };
  const watchExit = (child: ChildProcess, stderr: () => string, ...names: Target[]) => {
    for (const name of names)
      deaths[name] = () =>
        child.exitCode === null && child.signalCode === null ? null : `exited with ${child.exitCode ?? child.signalCode}; stderr:\n${stderr().slice(-2_000)}`;
  };
  if (needed.has("ours-imds") || needed.has("bare")) {
    log("starting imds-lab (--ephemeral) ...");
    const { pid, ready, child, stderr } = await startOurs("imds-lab", options);
    watchExit(child, stderr, "ours-imds");
    if (pid !== undefined) {
      targets.pids.push(pid);
      targets.pidOf["ours-imds"] = pid;
    }
    targets.base["ours-imds"] = assertLoopback(ready.imds).origin;

    const put = await rawRequest(targets.base["ours-imds"], { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "21600" } });
    if (put.status !== 200) throw new Error(`token PUT answered ${put.status}`);
    targets.token = put.body.toString("utf8");
  }
  if (needed.has("bare")) {
    const ours = await rawRequest(targets.base["ours-imds"]!, {
      method: "GET",
      path: "/latest/meta-data/instance-id",
      headers: { "X-aws-ec2-metadata-token": targets.token! },
    });
    if (ours.status !== 200) throw new Error(`our v2 GET answered ${ours.status}`);
    const headers = ours.headers.filter(([name]) => !NODE_ADDED_HEADERS.has(name.toLowerCase())).flatMap(([n, v]) => [n, v]);
    const replayFile = join(scratch, "bare-replay.json");
    writeFileSync(replayFile, JSON.stringify({ status: ours.status, headers, bodyBase64: ours.body.toString("base64") }));
    log("starting bare node:http baseline ...");
    const bare = await startServer<{ url: string }>({
      name: "bare-server",
      command: process.execPath,
      args: [...(options.nodeFlags ?? []), "--import", "tsx", BARE_SERVER, replayFile],
      core: SERVER_CORE,
      timeoutMs: 30_000,
      isReady: (line) => {
        try {
          const parsed = JSON.parse(line) as { ready?: boolean; url?: string };
          return parsed.ready === true && typeof parsed.url === "string" ? { url: parsed.url } : undefined;
        } catch {
          return undefined;
        }
      },
    });
    targets.base.bare = assertLoopback(bare.ready.url).origin;
    targets.pids.push(bare.pid);
    targets.pidOf.bare = bare.pid;
    watchExit(bare.child, bare.stderr, "bare");
    const replayed = await rawRequest(targets.base.bare, { method: "GET", path: "/latest/meta-data/instance-id" });
    // The TTL echo counts down by the second; everything else must be the same bytes.
    const norm = (r: typeof ours) =>
      comparableBytes({ ...r, headers: r.headers.map(([n, v]): [string, string] => [n, n.toLowerCase() === TTL_RESPONSE_HEADER ? "<ttl>" : v]) });
    if (norm(replayed) !== norm(ours)) {
      throw new Error(`the bare server's answer differs from ours:\n--- ours\n${comparableBytes(ours)}\n--- bare\n${comparableBytes(replayed)}`);
    }
    const size = Buffer.byteLength(comparableBytes(ours), "latin1");
    targets.replayCheck = `identical bytes except Date (${size} bytes without Date: ${ours.headers.length} header lines, ${ours.body.length}-byte body)`;
    log(`  bare answer check: ${targets.replayCheck}`);
  }
  if (needed.has("moto")) {
    const moto = await startMoto("moto_server", log);
    targets.base.moto = moto.base;
    targets.pids.push(moto.pid);
    targets.pidOf.moto = moto.pid;
    watchExit(moto.child, moto.stderr, "moto");
  }
  // The estate targets: servers of their own, so the IMDS scenarios never run against a process
  // holding the estate, and the empty-estate moto scenario stays empty.
  if (needed.has("ours-api") || needed.has("ours-api-imds")) {
    log("starting imds-lab for the EC2 API estate (--ephemeral) ...");
    const { pid, ready, child, stderr } = await startOurs("imds-lab-api", options);
    watchExit(child, stderr, "ours-api", "ours-api-imds");
    if (pid !== undefined) {
      targets.pids.push(pid);
      targets.pidOf["ours-api"] = pid;
      targets.pidOf["ours-api-imds"] = pid;
    }
    targets.base["ours-api"] = assertLoopback(ready.api).origin;
    // The same process's own IMDS: the isolation scenarios measure it while its API is busy.
    targets.base["ours-api-imds"] = assertLoopback(ready.imds).origin;
  }
  if (needed.has("moto-api")) {
    const moto = await startMoto("moto_server (EC2 API estate)", log);
    targets.base["moto-api"] = moto.base;
    targets.pids.push(moto.pid);
    targets.pidOf["moto-api"] = moto.pid;
    watchExit(moto.child, moto.stderr, "moto-api");
  }
  const estateSize = options.estateSize ?? 0;
  for (const target of ESTATE_TARGETS) {
    const base = targets.base[target];
    if (base === undefined || estateSize <= 0) continue;
    targets.estate[target] = await seedEstate(target, base, estateSize, ESTATE_BATCH, log);
    const gone = targets.died(target);
    if (gone !== null) throw new Error(`the ${target} server is gone after seeding (${gone})`);
  }
  return targets;
}

export function loadSpec(scenario: Scenario, targets: Targets): LoadSpec {
  const base = targets.base[scenario.target];
  if (base === undefined) throw new Error(`target ${scenario.target} was not started`);
  const estate = targets.estate[scenario.target];
  const fill = (value: string): string =>
    value.replace(/\{(token|imageId|instanceId)\}/g, (_, name: string) => {
      const filled = name === "token" ? targets.token : name === "imageId" ? estate?.imageId : estate?.sampleInstanceId;
      if (filled === undefined) {
        throw new Error(name === "token" ? `${scenario.name} needs a token, but our emulator is not running` : `${scenario.name} needs {${name}}, but ${scenario.target} holds no seeded estate`);
      }
      return filled;
    });
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(scenario.headers ?? {})) headers[name] = fill(value);
  return {
    url: new URL(scenario.path, base).href,
    method: scenario.method,
    headers,
    ...(scenario.body !== undefined ? { body: fill(scenario.body) } : {}),
    expectStatus: scenario.expectStatus ?? 200,
    ...(scenario.maxRequests !== undefined ? { maxRequests: scenario.maxRequests } : {}),
    ...(scenario.ratePerSec !== undefined ? { ratePerSec: scenario.ratePerSec } : {}),
  };
}

/** The request of one background load (the EC2 API during an isolation measurement). */
export function backgroundSpec(load: BackgroundLoad, targets: Targets): LoadSpec {
  const base = targets.base[load.target];
  if (base === undefined) throw new Error(`target ${load.target} was not started`);
  return {
    url: new URL(load.path, base).href,
    method: load.method,
    headers: { ...(load.headers ?? {}) },
    ...(load.body !== undefined ? { body: load.body } : {}),
    expectStatus: 200,
  };
}
