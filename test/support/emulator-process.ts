import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/imds-lab.js", import.meta.url));

export interface ReadyLine {
  readonly ready: true;
  readonly imds: string;
  readonly api: string;
  readonly defaultInstanceId: string;
  readonly state: string;
  readonly [key: string]: unknown;
}

export interface EmulatorProcess {
  readonly ready: ReadyLine;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `imds-lab serve` as users' scripts do (ports 0 unless given) and resolves with the
 * JSON ready line it prints. Defaults to --ephemeral; pass `--state FILE` to persist.
 */
export async function startEmulatorProcess(args: string[] = [], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<EmulatorProcess> {
  const finalArgs = [...args];
  if (!finalArgs.includes("--imds-port")) finalArgs.push("--imds-port", "0");
  if (!finalArgs.includes("--api-port")) finalArgs.push("--api-port", "0");
  if (!finalArgs.includes("--state") && !finalArgs.includes("--ephemeral")) finalArgs.push("--ephemeral");
  const child = spawn(process.execPath, [BIN, "serve", ...finalArgs], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`imds-lab did not become ready in time; stderr:\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line) as ReadyLine);
      } catch {
        reject(new Error(`first stdout line is not JSON: ${line}`));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`imds-lab exited with ${code} before it was ready; stderr:\n${stderr}`));
    });
  });
  return {
    ready,
    child,
    stderr: () => stderr,
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
