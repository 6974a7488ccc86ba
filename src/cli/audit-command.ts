import { Command, InvalidArgumentError } from "commander";
import { auditInventory, failsGate } from "../domain/migration/audit-findings.ts";
import { isSeverity, type Severity } from "../domain/migration/finding-rules.ts";
import { homeRegion, loadReport, toolVersion, writeOutput, type AuditDocument } from "../toolkit/cli-support.ts";
import { renderAuditMarkdown, renderAuditSarif, renderAuditTable } from "../toolkit/format/audit-format.ts";
import { progressBar } from "../toolkit/format/progress-bar.ts";
import type { OutputFormat } from "../toolkit/format/text-table.ts";
import { EXIT } from "./exit-codes.ts";
import { runAction } from "./run-action.ts";

interface AuditFlags {
  regions: string;
  endpointUrl?: string;
  profile?: string;
  format?: OutputFormat;
  json?: boolean;
  markdown?: boolean;
  sarif?: boolean;
  output?: string;
  report?: string;
  failOn: Severity | "none";
  progress: boolean;
  showInfo?: boolean;
  includeUnusedRegions?: boolean;
}

function format(value: string): OutputFormat {
  if (value === "table" || value === "json" || value === "markdown" || value === "sarif") return value;
  throw new InvalidArgumentError("table, json, markdown or sarif");
}

function threshold(value: string): Severity | "none" {
  if (value === "none" || isSeverity(value)) return value;
  throw new InvalidArgumentError("high, medium, low, info or none");
}

export function auditCommand(): Command {
  return new Command("audit")
    .description("audit IMDS settings per Region: account defaults, AMIs (ImdsSupport), launch templates, instances; against AWS or any EC2 endpoint")
    .requiredOption("--regions <list>", "`all` or a comma-separated list, e.g. us-east-1,eu-west-1")
    .option("--endpoint-url <url>", "an EC2-compatible endpoint, e.g. imds-lab's API (default: AWS)")
    .option("--profile <name>", "a profile of the shared AWS config (default: the standard credential chain)")
    .option("--format <format>", "table (default), json, markdown or sarif", format)
    .option("--json", "same as --format json (input to `plan --audit`)")
    .option("--markdown", "same as --format markdown")
    .option("--sarif", "same as --format sarif")
    .option("--output <file>", "write to this file instead of stdout")
    .option("--report <file-or-url>", "a caller report (report --json, or an emulator URL) that adds observed IMDSv1 callers")
    .option("--fail-on <severity>", "exit 1 when a finding is at least this severe: high, medium, low, info or none", threshold, "none")
    .option("--no-progress", "no progress bar on stderr")
    .option("--show-info", "include info findings in the table")
    .option("--include-unused-regions", "account-default findings also for Regions with no instance, template or AMI")
    .addHelpText("after", "\nWith --endpoint-url, `--regions all` uses a built-in Region list when the endpoint has no DescribeRegions (imds-lab).\nExit codes: 0 ok, 1 --fail-on threshold reached, 2 usage or input file, 3 endpoint unreachable or failed (docs/cli.md).")
    .action((flags: AuditFlags) =>
      runAction(async () => {
        // Loaded here, not at startup: the SDK takes seconds to load and `serve` never needs it.
        const { collectInventory, REGION_STAGES } = await import("../toolkit/collect-inventory.ts");
        const { ec2ClientFactory, resolveRegions } = await import("../toolkit/ec2-target.ts");
        const chosen: OutputFormat = flags.format ?? (flags.json ? "json" : flags.markdown ? "markdown" : flags.sarif ? "sarif" : "table");
        const clients = ec2ClientFactory({ ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}), ...(flags.profile ? { profile: flags.profile } : {}) });
        const { regions, source } = await resolveRegions(flags.regions, clients, homeRegion());
        if (source === "built-in") process.stderr.write(`imds-lab: the endpoint has no DescribeRegions; auditing the ${regions.length} built-in Regions\n`);
        const progress = progressBar({ enabled: flags.progress });
        progress.start(regions.length * REGION_STAGES.length, "audit");
        const inventory = await collectInventory({
          clients,
          regions,
          nowMs: Date.now(),
          ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}),
          onStage: (region, stage) => progress.tick(`${region} ${stage}`),
        });
        progress.stop();
        const report = flags.report !== undefined ? await loadReport(flags.report) : undefined;
        const audit = auditInventory(inventory, report, { includeUnusedRegions: flags.includeUnusedRegions === true });
        const document: AuditDocument = { kind: "imds-lab/audit", version: 1, ...audit };
        const text =
          chosen === "json"
            ? JSON.stringify(document, null, 2)
            : chosen === "sarif"
              ? JSON.stringify(renderAuditSarif(audit, toolVersion()), null, 2)
              : chosen === "markdown"
                ? renderAuditMarkdown(audit)
                : renderAuditTable(audit, { showInfo: flags.showInfo === true });
        writeOutput(text, flags.output);
        return flags.failOn !== "none" && failsGate(audit.findings, flags.failOn) ? EXIT.refused : EXIT.ok;
      }),
    );
}
