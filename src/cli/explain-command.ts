import { Command } from "commander";
import type { InstanceExplanation } from "../govern/explain-service.ts";
import { renderOptions, renderWhatIf, type OptionsReport } from "../govern/explain-report.ts";
import { controlClient, endpointOption } from "./control-command-support.ts";
import { runAction } from "./run-action.ts";

function sameValues(a: OptionsReport, b: OptionsReport): boolean {
  return Object.keys(a).every((k) => a[k as keyof OptionsReport].value === b[k as keyof OptionsReport].value);
}

/** Text for people: the options now, then (if it differs) a launch today, then the what-if. */
export function renderInstanceExplanation(e: InstanceExplanation): string {
  const lines = [`${e.instanceId} (${e.imageId}, ${e.region}, account ${e.accountId}): metadata options and where each came from`, "", ...renderOptions(e.options), ""];
  const { relaunch } = e;
  if (sameValues(e.options, relaunch.options) && relaunch.ok) {
    lines.push("The same launch today would get the same values.");
  } else {
    lines.push("The same launch today, with the levels as they are now, would get:", ...renderOptions(relaunch.options));
    if (relaunch.error !== undefined) lines.push(`and be refused: ${relaunch.error.code}: ${relaunch.error.message}`);
  }
  if (e.whatIf.length > 0) lines.push("", ...renderWhatIf(e.whatIf));
  return `${lines.join("\n")}\n`;
}

export function explainCommand(): Command {
  return new Command("explain")
    .description("show, for each metadata option of an instance, its value, the level that set it, and what would change if a level changed")
    .argument("<instance-id>", "the instance, e.g. i-0123456789abcdef0")
    .option(...endpointOption)
    .option("--json", "print the explanation as JSON")
    .action((instanceId: string, flags: { endpointUrl: string; json?: boolean }) =>
      runAction(async () => {
        const explanation = await controlClient(flags.endpointUrl).explain(instanceId);
        process.stdout.write(flags.json === true ? `${JSON.stringify(explanation, null, 2)}\n` : renderInstanceExplanation(explanation));
      }),
    );
}
