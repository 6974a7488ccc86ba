import { Command } from "commander";
import pc from "picocolors";
import { readJournal, writeJournal } from "../toolkit/apply-journal.ts";
import { ApplyRefused, rollbackJournal } from "../toolkit/apply-plan.ts";
import { ToolkitError } from "../toolkit/cli-support.ts";
import { progressBar } from "../toolkit/format/progress-bar.ts";
import { EXIT } from "./exit-codes.ts";
import { runAction } from "./run-action.ts";

export function rollbackCommand(): Command {
  return new Command("rollback")
    .description("undo, newest first, every step an apply journal records as done (AMI ImdsSupport cannot be undone)")
    .requiredOption("--journal <file>", "the journal apply wrote")
    .option("--endpoint-url <url>", "must match the journal's endpoint when given")
    .option("--profile <name>", "a profile of the shared AWS config")
    .option("--dry-run", "only check that every undo would succeed")
    .option("--no-progress", "no progress bar on stderr")
    .action((flags: { journal: string; endpointUrl?: string; profile?: string; dryRun?: boolean; progress: boolean }) =>
      runAction(async () => {
        const journal = readJournal(flags.journal);
        if (journal === undefined) throw new ToolkitError(`no journal at ${flags.journal}`);
        if (flags.endpointUrl !== undefined && flags.endpointUrl !== journal.endpoint) {
          throw new ToolkitError(`the journal was written against ${journal.endpoint ?? "AWS"}, not ${flags.endpointUrl}`);
        }
        const log = (line: string) => process.stderr.write(`${line}\n`);
        // Loaded here, not at startup: the SDK takes seconds to load and `serve` never needs it.
        const { ec2ClientFactory } = await import("../toolkit/ec2-target.ts");
        const { StepExecutor } = await import("../toolkit/step-executor.ts");
        const executor = new StepExecutor(ec2ClientFactory({ ...(journal.endpoint ? { endpoint: journal.endpoint } : {}), ...(flags.profile ? { profile: flags.profile } : {}) }));
        try {
          const outcome = await rollbackJournal({
            journal,
            save: (j) => writeJournal(flags.journal, j),
            executor,
            nowIso: () => new Date().toISOString(),
            dryRunOnly: flags.dryRun === true,
            progress: progressBar({ enabled: flags.progress }),
          });
          for (const id of outcome.irreversible) log(pc.yellow(`cannot be undone, left as is: ${id}`));
          if (flags.dryRun) log("dry run: every undo would succeed; nothing was changed");
          else log(`rolled back ${outcome.rolledBack.length} step(s)`);
          if (outcome.failed !== undefined) {
            log(pc.red(`undo of ${outcome.failed.stepId} failed: ${outcome.failed.code}: ${outcome.failed.message}; rerun to continue`));
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
