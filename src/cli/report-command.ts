import { Command } from "commander";
import { writeOutput } from "../toolkit/cli-support.ts";
import { renderReportMarkdown, renderReportTable } from "../toolkit/format/report-format.ts";
import { controlClient, endpointOption } from "./control-command-support.ts";
import { EXIT } from "./exit-codes.ts";
import { runAction } from "./run-action.ts";

export function reportCommand(): Command {
  return new Command("report")
    .description("what breaks if IMDSv2 is required: per instance, the IMDSv1 callers (by process and path) seen by a running imds-lab")
    .option(...endpointOption)
    .option("--json", "the report as JSON (input to `plan --report`)")
    .option("--markdown", "the report as Markdown")
    .option("--output <file>", "write to this file instead of stdout")
    .option("--fail-on-breaking", "exit 1 when some instance would break (or is breaking)")
    .action((flags: { endpointUrl: string; json?: boolean; markdown?: boolean; output?: string; failOnBreaking?: boolean }) =>
      runAction(async () => {
        const report = await controlClient(flags.endpointUrl).report();
        const text = flags.json ? JSON.stringify(report, null, 2) : flags.markdown ? renderReportMarkdown(report) : renderReportTable(report);
        writeOutput(text, flags.output);
        const breaking = report.instances.some((i) => i.verdict === "breaks" || i.verdict === "hop-limit" || i.verdict === "rejecting");
        return flags.failOnBreaking && breaking ? EXIT.refused : EXIT.ok;
      }),
    );
}
