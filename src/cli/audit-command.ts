import { Command, InvalidArgumentError } from "commander";
import { failsGate } from "../domain/migration/audit-findings.ts";
import { isSeverity, type Severity } from "../domain/migration/finding-rules.ts";
import { loadReport, toolVersion, writeOutput, type AuditDocument } from "../toolkit/cli-support.ts";
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
  since: string;
  cloudwatch: boolean;
  roleName?: string;
  accounts?: string;
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
    .option("--since <window>", "CloudWatch evidence of IMDSv1 use over this window: 14d (default), 36h, 90m", "14d")
    .option("--no-cloudwatch", "do not read CloudWatch's MetadataNoToken evidence")
    .option("--role-name <name>", "audit several accounts: assume this role in each (STS AssumeRole)")
    .option("--accounts <ids>", "with --role-name: these accounts (comma-separated) instead of the Organization's (ListAccounts)")
    .addHelpText("after", "\nWith --endpoint-url, `--regions all` uses a built-in Region list when the endpoint has no DescribeRegions (imds-lab).\nExit codes: 0 ok, 1 --fail-on threshold reached, 2 usage or input file, 3 endpoint unreachable or failed (docs/cli.md).")
    .action((flags: AuditFlags) =>
      runAction(async () => {
        // Loaded here, not at startup: the SDK takes seconds to load and `serve` never needs it.
        const { runAudit } = await import("../toolkit/run-audit.ts");
        const { parseWindow } = await import("../domain/migration/usage-evidence.ts");
        const windowMs = parseWindow(flags.since);
        if (windowMs === undefined) throw new InvalidArgumentError(`--since takes a window such as 14d, 36h or 90m, not ${flags.since}`);
        if (flags.accounts !== undefined && flags.roleName === undefined) throw new InvalidArgumentError("--accounts needs --role-name (the role to assume in each)");
        const chosen: OutputFormat = flags.format ?? (flags.json ? "json" : flags.markdown ? "markdown" : flags.sarif ? "sarif" : "table");
        const report = flags.report !== undefined ? await loadReport(flags.report) : undefined;
        const audit = await runAudit({
          regions: flags.regions,
          target: { ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}), ...(flags.profile ? { profile: flags.profile } : {}) },
          ...(flags.roleName !== undefined ? { roleName: flags.roleName } : {}),
          ...(flags.accounts !== undefined ? { accounts: flags.accounts } : {}),
          // 14 days by default: inside CloudWatch's 15-day retention of 1-minute data, and two weekly cycles (docs/migration.md).
          evidenceWindowMs: flags.cloudwatch ? windowMs : undefined,
          includeUnusedRegions: flags.includeUnusedRegions === true,
          ...(report !== undefined ? { report } : {}),
          progress: progressBar({ enabled: flags.progress }),
          nowMs: Date.now(),
          warn: (line) => process.stderr.write(`imds-lab: ${line}\n`),
        });
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
