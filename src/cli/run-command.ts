import { Command, InvalidArgumentError } from "commander";
import { envName, loadSettings, SettingsError } from "../config/settings.ts";
import { HopLimitConfigError } from "../imds/hop-limit.ts";
import { StateFileError } from "../app/state-file-error.ts";
import { sandboxUnavailable } from "../run/namespace-support.ts";
import { exitCodeOf, runInSandbox, RunRefused } from "../run/run-sandbox.ts";
import { SandboxError } from "../run/sandbox-network.ts";
import { MAX_HOPS } from "../run/sandbox-plan.ts";

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

function hops(value: string): number {
  const n = integer(value);
  if (n < 1 || n > MAX_HOPS) throw new InvalidArgumentError(`expected 1..${MAX_HOPS}`);
  return n;
}

const env = (key: string) => ` (env ${envName(key)})`;
/** imds-lab's own failures, as `docker run` and `env` report theirs: COMMAND never ran. */
const EXIT_RUNNER = 125;
const RUN_ONLY = new Set(["instance", "hops", "report", "quiet"]);

export function runCommand(): Command {
  return new Command("run")
    .description("run COMMAND, unmodified, in a sandboxed network namespace where the instance's IMDS answers at 169.254.169.254")
    .argument("<command...>", "the program and its arguments, after --")
    .option("--instance <id>", "the instance whose IMDS COMMAND meets (default: the default instance)")
    .option("--hops <n>", `routed hops between COMMAND and the IMDS (1: on the instance; 2: a container on it), 1..${MAX_HOPS}, default 1`, hops, 1)
    .option("--http-tokens <mode>", `default instance: optional or required${env("httpTokens")}`)
    .option("--hop-limit <n>", `default instance: HttpPutResponseHopLimit 1..64${env("hopLimit")}`, integer)
    .option("--http-endpoint <state>", `default instance: enabled or disabled${env("httpEndpoint")}`)
    .option("--http-protocol-ipv6 <state>", `default instance: enabled also answers at [fd00:ec2::254]:80 in the sandbox${env("httpProtocolIpv6")}`)
    .option("--state <file>", `SQLite file that keeps the state${env("state")}`)
    .option("--ephemeral", `keep all state in memory${env("ephemeral")}`)
    .option("--api-host <address>", `address of the EC2 API on this host, default 127.0.0.1${env("apiHost")}`)
    .option("--api-port <port>", `port of the EC2 API, 0 picks a free one, default 4566${env("apiPort")}`, integer)
    .option("--imds-port <port>", `port of the IMDS endpoints on this host's loopback, default 1338${env("imdsPort")}`, integer)
    .option("--config <file>", "JSON or YAML file of settings, as for serve")
    .option("--report <file>", "when COMMAND ends, write the caller report (as `imds-lab report --json`) to this file")
    .option("--quiet", "print nothing of imds-lab's own on stderr unless it fails")
    .addHelpText(
      "after",
      `
COMMAND gets the terminal, its exit status and the signal that ended it are imds-lab's. It has no
network but the IMDS: imds-lab checks that before COMMAND starts and refuses otherwise. Needs root,
or unprivileged user namespaces. Example:
  imds-lab run --ephemeral --http-tokens required -- ec2-metadata --instance-id
See docs/run.md.`,
    )
    .action(async (command: string[], options: Record<string, unknown>, cmd: Command) => {
      const flags: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(options)) if (!RUN_ONLY.has(key) && cmd.getOptionValueSource(key) === "cli") flags[key] = value;
      const fail = (message: string, code = EXIT_RUNNER): never => {
        process.stderr.write(`imds-lab run: ${message}\n`);
        process.exit(code);
      };
      const missing = sandboxUnavailable();
      if (missing !== null) fail(missing);
      let settings;
      try {
        settings = loadSettings(flags);
      } catch (err) {
        if (err instanceof SettingsError) fail(err.message, 2);
        throw err;
      }
      const quiet = options.quiet === true;
      let outcome;
      try {
        outcome = await runInSandbox({
          settings,
          instanceId: options.instance as string | undefined,
          hops: options.hops as number,
          command,
          reportFile: options.report as string | undefined,
          log: (line) => {
            if (!quiet) process.stderr.write(`${line}\n`);
          },
        });
      } catch (err) {
        const known =
          err instanceof RunRefused || err instanceof SandboxError || err instanceof HopLimitConfigError || err instanceof StateFileError || (err as NodeJS.ErrnoException).code === "EADDRINUSE";
        if (known) fail((err as Error).message);
        throw err;
      }
      if (outcome.signal !== null) {
        // Ended by a signal: end the same way, so a shell or supervisor sees what COMMAND did.
        process.kill(process.pid, outcome.signal);
        setTimeout(() => process.exit(exitCodeOf(outcome)), 1000).unref();
        return;
      }
      process.exit(exitCodeOf(outcome));
    });
}
