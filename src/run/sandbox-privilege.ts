import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * How imds-lab run gets the right to build namespaces. As root: directly, and the namespaces are
 * named in the host's /run/netns. Otherwise, where the kernel allows unprivileged user
 * namespaces: a keeper process in a user namespace of its own (mapped to the caller's uid as root
 * there), with a private mount of /run, so `ip netns add` works inside it and the namespaces it
 * names exist for this run only. Every `ip` command then runs through `nsenter` into the keeper's
 * namespaces; the emulator itself stays in the host's network namespace, its API on loopback.
 */
export interface SandboxPrivilege {
  readonly mode: "root" | "user-namespace";
  /** Put before every `ip …` (and COMMAND's `ip netns exec`). */
  readonly prefix: readonly string[];
  /** Ends the keeper (synchronous, so it also works in an exit handler). */
  release(): void;
}

const KEEPER_SCRIPT = "mount -t tmpfs imds-lab-run /run && echo ready && exec sleep 2147483647";
const KEEPER_TIMEOUT_MS = 10_000;

export const rootPrivilege: SandboxPrivilege = { mode: "root", prefix: [], release: () => undefined };

/** Starts the keeper; it dies with imds-lab even on SIGKILL (setpriv --pdeathsig). */
export function userNamespacePrivilege(): Promise<SandboxPrivilege> {
  const keeper: ChildProcess = spawn(
    "setpriv",
    ["--pdeathsig", "KILL", "--", "unshare", "--user", "--map-root-user", "--mount", "--net", "sh", "-c", KEEPER_SCRIPT],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  keeper.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail("the user-namespace keeper did not start in time"), KEEPER_TIMEOUT_MS);
    const fail = (message: string) => {
      clearTimeout(timer);
      keeper.kill("SIGKILL");
      reject(new Error(`${message}: ${stderr.trim()}`));
    };
    keeper.once("error", (err) => fail(err.message));
    keeper.once("exit", (code) => fail(`the user-namespace keeper exited (${code})`));
    createInterface({ input: keeper.stdout! }).once("line", (line) => {
      if (line !== "ready") return fail(`unexpected keeper output ${JSON.stringify(line)}`);
      clearTimeout(timer);
      keeper.removeAllListeners("exit");
      resolve({
        mode: "user-namespace",
        // --preserve-credentials: the caller's uid is root in the keeper's user namespace already,
        // and setgroups is denied there.
        prefix: ["nsenter", "-t", String(keeper.pid), "-U", "-m", "-n", "--preserve-credentials"],
        release: () => {
          if (keeper.exitCode === null && keeper.signalCode === null) keeper.kill("SIGKILL");
        },
      });
    });
  });
}

/** `argv` run through the privilege's prefix, as [file, args] for spawn. */
export function withPrefix(prefix: readonly string[], argv: readonly string[]): [string, string[]] {
  const all = [...prefix, ...argv];
  return [all[0]!, all.slice(1)];
}
