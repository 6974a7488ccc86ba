/**
 * The exit codes of every imds-lab command (docs/cli.md#exit-codes). This module imports
 * nothing at run time, so the command line's entry point can load it before any command.
 * `run` passes its COMMAND's status through and uses 125 for its own failures, as `docker run`
 * and `env` do.
 */
import type { Command } from "commander";

export const EXIT = {
  /** Done; a gate (--fail-on, --fail-on-breaking) found nothing at its threshold. */
  ok: 0,
  /**
   * The command ran and the answer is no: a gate reached its threshold, a launch IMDSv2
   * enforcement refuses (resolve), apply or rollback refused or a step failed, or the emulator
   * refused the request (an unknown instance, a malformed policy, an invalid fault).
   */
  refused: 1,
  /** The command line or an input is wrong: an unknown option, an invalid value or setting, a file that cannot be read or is not the document expected. */
  usage: 2,
  /** The endpoint did not answer or failed: connection refused, a timeout, a server error, a server that is not imds-lab, an AWS API call that failed. */
  unreachable: 3,
  /** A defect in imds-lab itself; the stack is printed. */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Commander exits 1 on a bad command line; here that is a usage error (2), and help or the
 * version stay 0. Applied to a command and all its subcommands.
 */
export function exitUsageErrorsWith2(command: Command): Command {
  command.exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));
  for (const sub of command.commands) exitUsageErrorsWith2(sub);
  return command;
}
