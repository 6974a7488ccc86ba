import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { constants as osConstants } from "node:os";
import { isatty } from "node:tty";
import type { Settings } from "../config/settings.ts";
import { loadIpTtl } from "../imds/ip-ttl.ts";
import { startEmulator, type RunningEmulator } from "../main.ts";
import { NamespaceCallerRegistry } from "../observe/namespace-callers.ts";
import { fetchReport } from "../toolkit/cli-support.ts";
import { checkSandbox, observeNamespace } from "./sandbox-check.ts";
import { openNamespaceListeners } from "./netns-listener.ts";
import { createSandboxNetwork, removeSandboxNetwork, removeStaleNamespaces } from "./sandbox-network.ts";
import { IMDS_IPV4, IMDS_IPV6, planSandbox, UPSTREAM_DEVICE, type SandboxPlan } from "./sandbox-plan.ts";
import { rootPrivilege, userNamespacePrivilege, withPrefix } from "./sandbox-privilege.ts";

export interface RunOptions {
  readonly settings: Settings;
  /** Unset: the default instance. */
  readonly instanceId?: string | undefined;
  readonly hops: number;
  readonly command: readonly string[];
  /** Write the caller report (as `imds-lab report --json`) here when COMMAND ends. */
  readonly reportFile?: string | undefined;
  /** imds-lab's own lines (stderr); COMMAND's stdio is untouched. */
  readonly log: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** imds-lab could not build or verify the sandbox, or the instance does not serve: COMMAND never started. */
export class RunRefused extends Error {}

/** Signals that end imds-lab run: passed on to COMMAND, which decides; we follow it out. */
const FORWARDED: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"];

/** Test hook (docs/run.md): adds something the sandbox check must refuse. */
const INJECT_ENV = "IMDS_LAB_RUN_TEST_INJECT";

function inject(plan: SandboxPlan, what: string | undefined, prefix: readonly string[]): void {
  if (what === undefined || what === "") return;
  const ns = plan.commandNamespace;
  const gateway = plan.links[plan.hops - 1]!.upper.v4;
  const args =
    what === "interface"
      ? ["-n", ns, "link", "add", "extra0", "type", "veth", "peer", "name", "extra1"]
      : what === "route"
        ? ["-n", ns, "route", "add", "192.0.2.0/24", "via", gateway, "dev", UPSTREAM_DEVICE]
        : null;
  if (args === null) throw new RunRefused(`${INJECT_ENV} must be "interface" or "route"`);
  const [file, argv] = withPrefix(prefix, ["ip", ...args]);
  spawnSync(file, argv, { timeout: 10_000 });
}

/**
 * Without the ip-ttl addon the hop limit cannot ride on the IP TTL; then the sandbox's caller
 * addresses are declared at their real distance, so the simulation withholds the token alike.
 */
function withHopFallback(settings: Settings, plan: SandboxPlan): Settings {
  if (loadIpTtl() !== null || settings.hopLimitMode === "off" || settings.hopLimitMode === "ttl") return settings;
  const sandbox = `${plan.callerV4}/32=${plan.hops},${plan.callerV6}/128=${plan.hops}`;
  return { ...settings, simulatedNetworks: settings.simulatedNetworks ? `${settings.simulatedNetworks},${sandbox}` : sandbox };
}

/** setpriv --pdeathsig makes COMMAND die with imds-lab even on SIGKILL (util-linux 2.33+). */
function pdeathsigPrefix(): string[] {
  const probe = spawnSync("setpriv", ["--pdeathsig", "KILL", "--", "true"], { timeout: 10_000 });
  return probe.status === 0 ? ["setpriv", "--pdeathsig", "KILL", "--"] : [];
}

/**
 * Runs COMMAND in a fresh chain of network namespaces where the instance's IMDS answers at
 * 169.254.169.254:80 (and [fd00:ec2::254]:80 while HttpProtocolIpv6=enabled), served by an
 * emulator started here whose EC2 API stays on the host's loopback. Resolves with how COMMAND
 * ended; everything is removed before it resolves.
 */
export async function runInSandbox(options: RunOptions): Promise<RunOutcome> {
  const privilege = process.getuid?.() === 0 ? rootPrivilege : await userNamespacePrivilege();
  const { prefix } = privilege;
  // A user namespace's names live in its private /run, gone with its keeper: nothing is left over.
  const stale = privilege.mode === "root" ? removeStaleNamespaces() : [];
  if (stale.length > 0) options.log(`imds-lab run: removed namespaces left by a killed run: ${stale.join(", ")}`);
  const plan = planSandbox(options.hops, process.pid);
  const namespaces = new NamespaceCallerRegistry();
  let emulator: RunningEmulator | undefined;
  let networkBuilt = false;
  let child: ChildProcess | undefined;
  let pendingSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) {
      // A terminal's Ctrl-C already reached COMMAND (same process group): sending it twice would
      // look like a second Ctrl-C.
      if (!(signal === "SIGINT" && isatty(0))) child.kill(signal);
    } else pendingSignal ??= signal;
  };
  const removeNetworkAtExit = () => {
    if (networkBuilt) removeSandboxNetwork(plan, prefix);
    privilege.release();
  };
  for (const s of FORWARDED) process.on(s, onSignal);
  process.on("exit", removeNetworkAtExit);
  try {
    emulator = await startEmulator(withHopFallback(options.settings, plan), { namespaceCallers: namespaces });
    const instanceId = options.instanceId ?? emulator.defaultInstanceId;
    if (emulator.host.runtime(instanceId) === undefined) throw new RunRefused(`instance ${instanceId} does not exist or has no IMDS endpoint`);
    networkBuilt = true;
    createSandboxNetwork(plan, prefix);
    inject(plan, (options.env ?? process.env)[INJECT_ENV], prefix);
    const listeners = await openNamespaceListeners(plan.imdsNamespace, prefix);
    await emulator.host.adoptListener(instanceId, listeners.ipv4, "ipv4");
    if (listeners.ipv6 !== null) await emulator.host.adoptListener(instanceId, listeners.ipv6, "ipv6");
    else options.log(`imds-lab run: no IPv6 endpoint in the sandbox: ${listeners.ipv6Error}`);
    const problems = checkSandbox(plan, (name) => observeNamespace(name, prefix));
    if (problems.length > 0) throw new RunRefused(`the sandbox is not closed, COMMAND was not started:\n  ${problems.join("\n  ")}`);
    if (pendingSignal !== undefined) return { code: null, signal: pendingSignal };
    options.log(
      `imds-lab run: ${instanceId} answers at ${IMDS_IPV4}:80${listeners.ipv6 ? ` and [${IMDS_IPV6}]:80 (while HttpProtocolIpv6=enabled)` : ""}, ` +
        `${plan.hops} hop${plan.hops === 1 ? "" : "s"} away in ${plan.commandNamespace}; EC2 API ${emulator.apiUrl}`,
    );
    const [file, argv] = withPrefix(prefix, ["ip", "netns", "exec", plan.commandNamespace, ...pdeathsigPrefix(), ...options.command]);
    child = spawn(file, argv, { stdio: "inherit", env: options.env ?? process.env });
    const started = child;
    const unregister = namespaces.add({ procDir: `/proc/${started.pid}`, addresses: [plan.callerV4, plan.callerV6], hops: plan.hops });
    const outcome = await new Promise<RunOutcome>((resolve) => {
      started.once("error", (err) => {
        options.log(`imds-lab run: ${err.message}`);
        resolve({ code: 127, signal: null });
      });
      started.once("exit", (code, signal) => resolve({ code, signal }));
    });
    if (options.reportFile !== undefined) {
      try {
        writeFileSync(options.reportFile, `${JSON.stringify(await fetchReport(emulator.apiUrl), null, 2)}\n`);
      } catch (err) {
        options.log(`imds-lab run: could not write the report: ${(err as Error).message}`);
      }
    }
    unregister();
    return outcome;
  } finally {
    for (const s of FORWARDED) process.off(s, onSignal);
    await emulator?.close().catch(() => undefined);
    removeNetworkAtExit();
    networkBuilt = false;
    process.off("exit", removeNetworkAtExit);
  }
}

/** The shell's convention for a command ended by a signal: 128 + its number. */
export function exitCodeOf(outcome: RunOutcome): number {
  if (outcome.signal !== null) return 128 + (osConstants.signals[outcome.signal] ?? 0);
  return outcome.code ?? 1;
}
