import { Command } from "commander";
import { DEFAULT_EMULATOR_URL, EXIT, fetchReport, runCommand, writeOutput } from "../toolkit/cli-support.ts";
import { renderReportMarkdown, renderReportTable } from "../toolkit/format/report-format.ts";

export function reportCommand(): Command {
  return new Command("report")
    .description("what breaks if IMDSv2 is required: per instance, the IMDSv1 callers (by process and path) seen by a running imds-lab")
    .option("--endpoint-url <url>", "the running emulator's API", DEFAULT_EMULATOR_URL)
    .option("--json", "the report as JSON (input to `plan --report`)")
    .option("--markdown", "the report as Markdown")
    .option("--output <file>", "write to this file instead of stdout")
    .option("--fail-on-breaking", "exit 1 when some instance would break (or is breaking)")
    .action((flags: { endpointUrl: string; json?: boolean; markdown?: boolean; output?: string; failOnBreaking?: boolean }) =>
      runCommand(async () => {
        const report = await fetchReport(flags.endpointUrl);
        const text = flags.json ? JSON.stringify(report, null, 2) : flags.markdown ? renderReportMarkdown(report) : renderReportTable(report);
        writeOutput(text, flags.output);
        const breaking = report.instances.some((i) => i.verdict === "breaks" || i.verdict === "hop-limit" || i.verdict === "rejecting");
        return flags.failOnBreaking && breaking ? EXIT.gate : EXIT.ok;
      }),
    );
}
