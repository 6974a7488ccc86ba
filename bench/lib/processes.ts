/**
 * Child processes of the benchmark: pinned to a core with taskset when it exists, bounded in
 * time, and all stopped by stopAll() (the runner calls it in `finally` and on SIGINT/SIGTERM).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

let tasksetChecked: boolean | undefined;

/** taskset (util-linux) is there and the machine has the two cores the design pins to. */
export function canPin(): boolean {
  if (tasksetChecked === undefined) {
    const probe = spawnSync("taskset", ["-c", `${SERVER_CORE},${LOAD_CORE}`, "true"], { stdio: "ignore" });
    tasksetChecked = probe.status === 0;
  }
  return tasksetChecked;
}

/** [command, args] that run `command args` on `core` (unchanged when pinning is unavailable). */
export function pinned(core: number, command: string, args: readonly string[]): [string, string[]] {
  return canPin() ? ["taskset", ["-c", String(core), command, ...args]] : [command, [...args]];
}

/** Moves every thread of a running process to `core`; new threads inherit it. */
export function pinPid(pid: number, core: number): boolean {
  if (!canPin()) return false;
  return spawnSync("taskset", ["-a", "-cp", String(core), String(pid)], { stdio: "ignore" }).status === 0;
}

export interface Stoppable {
  readonly name: string;
  stop(): Promise<void>;
}

const running = new Set<Stoppable>();

export function track(s: Stoppable): Stoppable {
  running.add(s);
  return s;
}

export async function stopAll(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.allSettled(all.map((s) => s.stop()));
}

/** Stops a child started with detached:true (its own process group) by its pid: TERM, then KILL. */
function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return resolve();
    const pid = child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export interface ServerProcess<T> extends Stoppable {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly ready: T;
  stderr(): string;
}

/**
 * Starts a server process in its own process group and resolves once `isReady` accepts a line of
 * its stdout (or, with `probe`, once probe() resolves true), within `timeoutMs`.
 */
export async function startServer<T>(options: {
  name: string;
  command: string;
  args: readonly string[];
  core: number;
  timeoutMs: number;
  isReady?: (line: string) => T | undefined;
  probe?: () => Promise<T | undefined>;
  env?: NodeJS.ProcessEnv;
}): Promise<ServerProcess<T>> {
  const [command, args] = pinned(options.core, options.command, options.args);
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...options.env },
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    // Keep the tail only: moto logs every request.
    stderr = (stderr + chunk).slice(-8_000);
  });
  const handle: ServerProcess<T> & { ready: T } = {
    name: options.name,
    pid: child.pid ?? -1,
    child,
    ready: undefined as unknown as T,
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
  track(handle);
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`${options.name} exited (${code ?? signal}) before it was ready:\n${stderr}`))),
  );
  exited.catch(() => undefined);
  const deadline = Date.now() + options.timeoutMs;
  const ready = new Promise<T>((resolve, reject) => {
    if (options.isReady !== undefined) {
      const isReady = options.isReady;
      createInterface({ input: child.stdout! }).on("line", (line) => {
        const value = isReady(line);
        if (value !== undefined) resolve(value);
      });
    } else {
      child.stdout!.resume();
    }
    if (options.probe !== undefined) {
      const probe = options.probe;
      const poll = async () => {
        while (Date.now() < deadline && child.exitCode === null) {
          const value = await probe().catch(() => undefined);
          if (value !== undefined) return resolve(value);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      void poll();
    }
    setTimeout(() => reject(new Error(`${options.name} was not ready within ${options.timeoutMs} ms:\n${stderr}`)), options.timeoutMs).unref();
  });
  try {
    handle.ready = await Promise.race([ready, exited]);
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

export interface Completed {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs a bounded child (a load generator) to completion; it is killed after `timeoutMs`. */
export function runBounded(name: string, command: string, args: readonly string[], timeoutMs: number, onSpawn?: (pid: number) => void): Promise<Completed> {
  return new Promise((resolve) => {
    const child = spawn(command, [...args], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    const tracked = track({ name, stop: () => stopChild(child, 1_000) });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout!.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-8_000)));
    const timer = setTimeout(() => {
      timedOut = true;
      void stopChild(child, 1_000);
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      running.delete(tracked);
      resolve({ code, stdout, stderr, timedOut });
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      running.delete(tracked);
      resolve({ code: null, stdout, stderr: `${stderr}\n${String(err)}`, timedOut });
    });
  });
}
