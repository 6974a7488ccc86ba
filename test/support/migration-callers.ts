/**
 * Callers and CLI runs for the migration end-to-end tests: a legacy IMDSv1 poller (Python's
 * http.client without a token: a real IMDSv1 caller), botocore's real IMDS fetchers, and
 * `imds-lab` subcommands run as users run them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import { BIN } from "./emulator-process.ts";
import { TEST_CREDENTIALS_ENV } from "./migration-estate.ts";

const CLIENTS = fileURLToPath(new URL("../clients/", import.meta.url));

/** The interpreter behind the pyenv shim, so a spawned child's pid is the Python process itself. */
export function realPython(): string {
  return spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
}

/**
 * Polls two metadata paths over one keep-alive connection without ever asking for a token, the
 * way old agents do, and prints "<status> <path>" per request. Loopback targets only.
 */
export const LEGACY_POLLER = `
import http.client, ipaddress, sys, time, urllib.parse
u = urllib.parse.urlsplit(sys.argv[1])
if not ipaddress.ip_address(u.hostname).is_loopback:
    sys.exit(2)
def connect():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=5)
conn = connect()
while True:
    for path in ("/latest/meta-data/instance-id", "/latest/meta-data/iam/security-credentials/"):
        try:
            conn.request("GET", path, headers={"User-Agent": "legacy-poller/1.0"})
            r = conn.getresponse()
            r.read()
            print(r.status, path, flush=True)
        except Exception as e:
            print("error", type(e).__name__, flush=True)
            conn.close()
            conn = connect()
    time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 0.2)
`;

export interface Poller {
  readonly child: ChildProcess;
  readonly statuses: number[];
  /** Resolves once `count` more answers with this status have arrived. */
  waitFor(status: number, count?: number, timeoutMs?: number): Promise<void>;
  stop(): void;
}

export function startPoller(imdsUrl: string, intervalSeconds = 0.2): Poller {
  const child = spawn(realPython(), ["-c", LEGACY_POLLER, imdsUrl, String(intervalSeconds)], { stdio: ["ignore", "pipe", "inherit"] });
  const statuses: number[] = [];
  const waiters: { status: number; until: number; resolve: () => void }[] = [];
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const status = Number(line.split(" ")[0]);
    if (!Number.isFinite(status)) return;
    statuses.push(status);
    for (const w of [...waiters]) {
      if (statuses.filter((s) => s === w.status).length >= w.until) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  return {
    child,
    statuses,
    waitFor(status, count = 1, timeoutMs = 15_000) {
      const until = statuses.filter((s) => s === status).length + count;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`poller: no ${count} x ${status} within ${timeoutMs} ms; saw ${statuses.slice(-10).join(",")}`)), timeoutMs);
        waiters.push({ status, until, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
    },
  };
}

export interface BotocoreResult {
  readonly error: { type: string; message: string } | null;
  readonly credentials: { access_key: string } | null;
  readonly requests: { method: string; path: string; status: number | null; token_header: boolean }[];
}

/** botocore's InstanceMetadataFetcher (test/clients/botocore_imds.py); --v1-disabled never falls back to IMDSv1. */
export function botocore(imdsUrl: string, args: string[] = []): BotocoreResult {
  const result = spawnSync("python3", [`${CLIENTS}botocore_imds.py`, imdsUrl, "--skip-region", ...args], { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) throw new Error(`botocore_imds.py exited ${result.status}: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop()!) as BotocoreResult;
}

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `imds-lab <args>` with fixed test credentials; never the real IMDS for credentials. */
export function imdsLab(args: string[], cwd?: string): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...process.env, ...TEST_CREDENTIALS_ENV, NO_COLOR: "1" },
    ...(cwd !== undefined ? { cwd } : {}),
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
