import { Command } from "commander";
import { buildMigrationPlan } from "../domain/migration/migration-plan.ts";
import { loadReport, readAudit, ToolkitError, writeOutput } from "../toolkit/cli-support.ts";
import { renderPlanMarkdown, renderPlanTable } from "../toolkit/format/plan-format.ts";
import { EXIT } from "./exit-codes.ts";
import { runAction } from "./run-action.ts";

export function planCommand(): Command {
  return new Command("plan")
    .description("turn an audit (and a caller report) into ordered steps: callers, AMIs, account defaults, launch templates, instances, enforcement")
    .requiredOption("--audit <file>", "the audit JSON (audit --json)")
    .option("--report <file-or-url>", "a caller report (report --json, or an emulator URL): adds caller steps and hop limits")
    .option("--output <file>", "write the plan JSON here (input to `apply`)")
    .option("--json", "print the plan JSON on stdout")
    .option("--markdown", "print the plan as Markdown")
    .action((flags: { audit: string; report?: string; output?: string; json?: boolean; markdown?: boolean }) =>
      runAction(async () => {
        const audit = readAudit(flags.audit);
        // A plan runs with one account's credentials: plan a multi-account audit account by account.
        if ((audit.inventory.accounts?.length ?? 0) > 1) {
          throw new ToolkitError(`${flags.audit} covers ${audit.inventory.accounts!.length} accounts; plan each one from its own audit (audit --role-name R --accounts ID --json)`);
        }
        const report = flags.report !== undefined ? await loadReport(flags.report) : undefined;
        const plan = buildMigrationPlan(audit, report, Date.now());
        const json = JSON.stringify(plan, null, 2);
        if (flags.output !== undefined) writeOutput(json, flags.output);
        writeOutput(flags.json ? json : flags.markdown ? renderPlanMarkdown(plan) : renderPlanTable(plan), undefined);
        return EXIT.ok;
      }),
    );
}
