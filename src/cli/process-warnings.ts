/**
 * Libraries warn through `process.emitWarning`, which node prints to stderr as
 * "(node:PID) Warning: …": the AWS SDK's NodeVersionSupportWarning whenever audit, plan or apply
 * builds a client on Node < 22, deprecation notices of dependencies. They are addressed to whoever
 * maintains imds-lab, not to its users, so the CLI drops them unless run with --verbose
 * (docs/cli.md, "Warnings"). Our own messages never go through this channel.
 */
export function silenceProcessWarnings(): void {
  // Node's printer is an ordinary "warning" listener installed at start-up; with none left, an
  // emitted warning is an event nobody hears.
  for (const listener of process.listeners("warning")) process.removeListener("warning", listener);
}
