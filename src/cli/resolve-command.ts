import { existsSync, readFileSync } from "node:fs";
import { Command } from "commander";
import { isDomainError } from "../domain/errors.ts";
import { NO_ACCOUNT_DEFAULTS } from "../domain/options/account-defaults.ts";
import type { LaunchOptionsRequest } from "../domain/precedence/resolve.ts";
import { explainLaunch } from "../domain/precedence/what-if.ts";
import { readAccountDefaults, readImage, readLaunchParameters, readLaunchTemplate } from "../govern/aws-cli-documents.ts";
import { outcomeReport, renderExplanation, valueAndSource, whatIfReports } from "../govern/explain-report.ts";
import { EXIT } from "./exit-codes.ts";

interface ResolveFlags {
  readonly image?: string;
  readonly template?: string;
  readonly templateVersion?: string;
  readonly account?: string;
  readonly region: string;
  readonly launch?: string;
  readonly json?: boolean;
}

/** A file of AWS CLI output, or (for --launch) the JSON itself. */
function readJson(source: string, inline: boolean): unknown {
  const text = inline && !existsSync(source) ? source : readFileSync(source === "-" ? 0 : source, "utf8");
  return JSON.parse(text);
}

export function launchRequestFrom(flags: ResolveFlags): LaunchOptionsRequest {
  const account = flags.account === undefined ? NO_ACCOUNT_DEFAULTS : readAccountDefaults(readJson(flags.account, false));
  const template = flags.template === undefined ? undefined : readLaunchTemplate(readJson(flags.template, false), flags.templateVersion);
  return {
    ...(flags.launch === undefined ? {} : { launchParameters: readLaunchParameters(readJson(flags.launch, true)) }),
    ...(template === undefined ? {} : { launchTemplate: template }),
    account: { ...account, region: flags.region },
    image: flags.image === undefined ? { imageId: "the AMI", imdsSupport: null } : readImage(readJson(flags.image, false)),
  };
}

export function resolveCommand(): Command {
  return new Command("resolve")
    .description("resolve an instance's metadata options offline, from what the AWS CLI prints; every level is optional")
    .option("--image <file>", "output of aws ec2 describe-images (one image) or describe-image-attribute --attribute imdsSupport")
    .option("--template <file>", "output of aws ec2 describe-launch-template-versions")
    .option("--template-version <n>", "which version of --template: a number, $Latest or $Default (default: the default version)")
    .option("--account <file>", "output of aws ec2 get-instance-metadata-defaults")
    .option("--region <name>", "the Region the account defaults belong to", "us-east-1")
    .option("--launch <json>", `RunInstances MetadataOptions, e.g. '{"HttpTokens":"optional"}' (or a file holding it)`)
    .option("--json", "print {Field: {value, source}} keyed by the API's field names")
    .addHelpText("after", "\nSources: launch-parameters, launch-template, account-defaults, ami, ec2-default.\nA launch that IMDSv2 enforcement would refuse prints EC2's error and exits 1.")
    .action((flags: ResolveFlags) => {
      let request: LaunchOptionsRequest;
      try {
        request = launchRequestFrom(flags);
      } catch (err) {
        process.stderr.write(`imds-lab: ${isDomainError(err) ? `${err.code}: ` : ""}${(err as Error).message}\n`);
        process.exit(EXIT.usage);
      }
      const explanation = explainLaunch(request);
      const outcome = outcomeReport(explanation.outcome);
      if (!explanation.outcome.ok) {
        const { code, message } = explanation.outcome.error;
        process.stderr.write(`An error occurred (${code}) when calling the RunInstances operation: ${message}\n`);
        if (flags.json !== true) process.stdout.write(renderExplanation("The options would resolve to:", outcome.options, whatIfReports(explanation), explanation.outcome.error));
        process.exit(EXIT.refused);
      }
      if (flags.json === true) process.stdout.write(`${JSON.stringify(valueAndSource(outcome.options), null, 2)}\n`);
      else process.stdout.write(renderExplanation("Metadata options at launch and where each comes from:", outcome.options, whatIfReports(explanation)));
    });
}
