import type { Command } from "commander";

/**
 * A command as `imds-lab help` lists it. Its module — and whatever that module imports: the
 * emulator, the AWS SDK, table and progress renderers — is imported only when the command runs,
 * so a short command does not pay for serve's start-up (docs/cli.md, "Start-up").
 */
export interface LazyCommand {
  readonly name: string;
  /** The command's own description, repeated so the listing needs no import (commands.test.ts keeps them equal). */
  readonly summary: string;
  load(): Promise<Command>;
}

export const COMMANDS: readonly LazyCommand[] = [
  {
    name: "serve",
    summary: "run the emulator: one IMDS endpoint per instance and the EC2 Query API",
    load: async () => (await import("./serve-command.ts")).serveCommand(),
  },
  {
    name: "run",
    summary: "run COMMAND, unmodified, in a sandboxed network namespace where the instance's IMDS answers at 169.254.169.254",
    load: async () => (await import("./run-command.ts")).runCommand(),
  },
  {
    name: "certificate",
    summary: "print the certificates that verify the identity documents' pkcs7 (DSA) and rsa2048/signature (RSA)",
    load: async () => (await import("./certificate-command.ts")).certificateCommand(),
  },
  {
    name: "explain",
    summary: "show, for each metadata option of an instance, its value, the level that set it, and what would change if a level changed",
    load: async () => (await import("./explain-command.ts")).explainCommand(),
  },
  {
    name: "resolve",
    summary: "resolve an instance's metadata options offline, from what the AWS CLI prints; every level is optional",
    load: async () => (await import("./resolve-command.ts")).resolveCommand(),
  },
  {
    name: "decode-message",
    summary: "turn an UnauthorizedOperation's encoded authorization message back into the reason (offline)",
    load: async () => (await import("./decode-message-command.ts")).decodeMessageCommand(),
  },
  {
    name: "governance",
    summary: "show or change access keys, identity policies, SCPs and declarative policies of a running emulator",
    load: async () => (await import("./governance-command.ts")).governanceCommand(),
  },
  {
    name: "events",
    summary: "schedule spot interruptions, rebalance recommendations, maintenance and Auto Scaling events on an instance",
    load: async () => (await import("./events-command.ts")).eventsCommand(),
  },
  {
    name: "faults",
    summary: "inject latency, throttling, dropped connections and outages into an instance's IMDS",
    load: async () => (await import("./faults-command.ts")).faultsCommand(),
  },
  {
    name: "report",
    summary: "what breaks if IMDSv2 is required: per instance, the IMDSv1 callers (by process and path) seen by a running imds-lab",
    load: async () => (await import("./report-command.ts")).reportCommand(),
  },
  {
    name: "audit",
    summary: "audit IMDS settings per Region: account defaults, AMIs (ImdsSupport), launch templates, instances; against AWS or any EC2 endpoint",
    load: async () => (await import("./audit-command.ts")).auditCommand(),
  },
  {
    name: "plan",
    summary: "turn an audit (and a caller report) into ordered steps: callers, AMIs, account defaults, launch templates, instances, enforcement",
    load: async () => (await import("./plan-command.ts")).planCommand(),
  },
  {
    name: "apply",
    summary: "execute a plan step by step: DryRun of every step first, a resumable journal, then the changes",
    load: async () => (await import("./apply-command.ts")).applyCommand(),
  },
  {
    name: "rollback",
    summary: "undo, newest first, every step an apply journal records as done (AMI ImdsSupport cannot be undone)",
    load: async () => (await import("./rollback-command.ts")).rollbackCommand(),
  },
];
