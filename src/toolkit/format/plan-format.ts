/** `imds-lab plan` output for people: the ordered steps and their AWS CLI equivalents. */
import pc from "picocolors";
import type { MigrationPlan } from "../../domain/migration/plan-steps.ts";
import { markdownTable, terminalTable } from "./text-table.ts";

const HEAD = ["#", "phase", "region", "step", "undo"];

function undo(step: MigrationPlan["steps"][number]): string {
  if (step.manual) return "manual";
  return step.reversible ? "rollback" : "IRREVERSIBLE";
}

export function renderPlanTable(plan: MigrationPlan): string {
  const rows = plan.steps.map((s) => [s.order, s.phase, s.region, s.title, step(undo(s))]);
  const lines = [plan.steps.length === 0 ? "nothing to do" : terminalTable(HEAD, rows)];
  if (plan.irreversible.length > 0) lines.push(pc.red(`${plan.irreversible.length} step(s) cannot be undone: ${plan.irreversible.join(", ")}`));
  lines.push("", "AWS CLI equivalents:");
  for (const s of plan.steps) {
    for (const command of s.awsCli) lines.push(`  ${s.order}. ${command}`);
    if (s.awsCli.length === 0) lines.push(`  ${s.order}. (manual) ${s.title}`);
  }
  return lines.join("\n");

  function step(text: string): string {
    return text === "IRREVERSIBLE" ? pc.red(text) : text;
  }
}

export function renderPlanMarkdown(plan: MigrationPlan): string {
  const rows = plan.steps.map((s) => [s.order, s.phase, s.region, s.title, undo(s)]);
  const out = ["# IMDSv2 migration plan", "", `Plan ${plan.id}, generated ${plan.generatedAt}.`, ""];
  if (plan.irreversible.length > 0) out.push(`**${plan.irreversible.length} step(s) cannot be undone:** ${plan.irreversible.map((s) => `\`${s}\``).join(", ")}`, "");
  out.push(plan.steps.length === 0 ? "Nothing to do." : markdownTable(HEAD, rows), "", "## AWS CLI equivalents", "");
  for (const s of plan.steps) {
    out.push(`${s.order}. ${s.title}`);
    for (const command of s.awsCli) out.push("", "   ```sh", `   ${command}`, "   ```");
    for (const note of s.notes) out.push(`   - ${note}`);
  }
  return out.join("\n");
}
