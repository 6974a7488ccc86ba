import { Command } from "commander";
import pc from "picocolors";
import type { MigrationPlan } from "../domain/migration/plan-steps.ts";
import { newJournal, readJournal, writeJournal } from "../toolkit/apply-journal.ts";
import { applyPlan, ApplyRefused } from "../toolkit/apply-plan.ts";
import { readPlan, ToolkitError } from "../toolkit/cli-support.ts";
import { progressBar } from "../toolkit/format/progress-bar.ts";
import { EXIT } from "./exit-codes.ts";
import { runAction } from "./run-action.ts";

interface ApplyFlags {
  journal?: string;
  endpointUrl?: string;
  profile?: string;
  dryRun?: boolean;
  allowIrreversible?: boolean;
  skipIrreversible?: boolean;
  acknowledgeManual?: boolean;
  progress: boolean;
}

/** The endpoint a plan runs against: the flag, else the one the journal or the audit used. */
export function targetEndpoint(flag: string | undefined, journalEndpoint: string | undefined, plan: MigrationPlan): string | undefined {
  const chosen = flag ?? journalEndpoint ?? plan.source.endpoint;
  if (journalEndpoint !== undefined && chosen !== journalEndpoint) {
    throw new ToolkitError(`the journal was written against ${journalEndpoint}; refusing to continue against ${chosen ?? "AWS"}`);
  }
  return chosen;
}

export function applyCommand(): Command {
  return new Command("apply")
    .description("execute a plan step by step: DryRun of every step first, a resumable journal, then the changes")
    .argument("<plan>", "the plan JSON (plan --output)")
    .option("--journal <file>", "the journal to write or resume (default: <plan>.journal.json)")
    .option("--endpoint-url <url>", "an EC2-compatible endpoint (default: the audit's, else AWS)")
    .option("--profile <name>", "a profile of the shared AWS config")
    .option("--dry-run", "only the DryRun pass: check every step, change nothing")
    .option("--allow-irreversible", "run steps that cannot be undone (AMI ImdsSupport=v2.0)")
    .option("--skip-irreversible", "leave the steps that cannot be undone")
    .option("--acknowledge-manual", "the manual steps (updating IMDSv1 callers) are done or their breakage is accepted")
    .option("--no-progress", "no progress bar on stderr")
    .addHelpText("after", "\nExit codes: 0 every step done, 1 refused or a step failed (rerun to resume), 2 usage or plan/journal file, 3 endpoint unreachable or failed (docs/cli.md).")
    .action((planPath: string, flags: ApplyFlags) =>
      runAction(async () => {
        const plan = readPlan(planPath);
        const journalPath = flags.journal ?? `${planPath}.journal.json`;
        const existing = readJournal(journalPath);
        const endpoint = targetEndpoint(flags.endpointUrl, existing?.endpoint, plan);
        const journal = existing ?? newJournal(plan, endpoint, new Date().toISOString());
        const log = (line: string) => process.stderr.write(`${line}\n`);
        log(`plan ${plan.id}: ${plan.steps.length} step(s) against ${endpoint ?? "AWS"}; journal ${journalPath}${existing ? " (resuming)" : ""}`);
        for (const id of plan.irreversible) log(pc.red(`  cannot be undone: ${plan.steps.find((s) => s.id === id)?.title ?? id}`));
        // Loaded here, not at startup: the SDK takes seconds to load and `serve` never needs it.
        const { ec2ClientFactory } = await import("../toolkit/ec2-target.ts");
        const { StepExecutor } = await import("../toolkit/step-executor.ts");
        const executor = new StepExecutor(ec2ClientFactory({ ...(endpoint ? { endpoint } : {}), ...(flags.profile ? { profile: flags.profile } : {}) }));
        try {
          const outcome = await applyPlan({
            plan,
            journal,
            save: (j) => writeJournal(journalPath, j),
            executor,
            nowIso: () => new Date().toISOString(),
            allowIrreversible: flags.allowIrreversible === true,
            skipIrreversible: flags.skipIrreversible === true,
            acknowledgeManual: flags.acknowledgeManual === true,
            dryRunOnly: flags.dryRun === true,
            progress: progressBar({ enabled: flags.progress }),
          });
          if (outcome.executedByDryRun !== undefined) {
            // Never "nothing was changed": say what the endpoint did and how to undo it.
            for (const e of outcome.executedByDryRun) {
              log(pc.red(`the endpoint executed the DryRun of ${e.stepId} instead of only checking it: ${e.changes.length > 0 ? e.changes.join("; ") : "nothing differed afterwards"}`));
            }
            log(`recorded in ${journalPath} as done, with the options it replaced; apply stopped there, since every DryRun against this endpoint changes something`);
            log(`undo it with: imds-lab rollback --journal ${journalPath}${endpoint !== undefined ? ` --endpoint-url ${endpoint}` : ""}`);
            return EXIT.refused;
          }
          if (outcome.dryRunOnly) {
            log(`dry run: every step would succeed; nothing was changed`);
            return EXIT.ok;
          }
          log(`result: ${Object.entries(outcome.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
          if (outcome.failed !== undefined) {
            log(pc.red(`step ${outcome.failed.stepId} failed: ${outcome.failed.code}: ${outcome.failed.message}; rerun to resume`));
            return EXIT.refused;
          }
          return EXIT.ok;
        } catch (err) {
          if (!(err instanceof ApplyRefused)) throw err;
          log(pc.red(`refused: ${err.message}`));
          for (const s of err.steps) log(`  ${s.id}: ${s.reason}`);
          return EXIT.refused;
        }
      }),
    );
}
