import { Command } from "commander";
import { certificateCommand } from "./certificate-command.ts";
import { decodeMessageCommand } from "./decode-message-command.ts";
import { explainCommand } from "./explain-command.ts";
import { eventsCommand } from "./events-command.ts";
import { faultsCommand } from "./faults-command.ts";
import { governanceCommand } from "./governance-command.ts";
import { resolveCommand } from "./resolve-command.ts";
import { serveCommand } from "./serve-command.ts";
import { applyCommand } from "./apply-command.ts";
import { auditCommand } from "./audit-command.ts";
import { planCommand } from "./plan-command.ts";
import { reportCommand } from "./report-command.ts";
import { rollbackCommand } from "./rollback-command.ts";
import { runCommand } from "./run-command.ts";

export async function main(argv: string[]): Promise<void> {
  const program = new Command("imds-lab")
    .description("A local EC2 Instance Metadata Service and the configuration plane that decides its options")
    .addCommand(serveCommand())
    .addCommand(certificateCommand())
    .addCommand(explainCommand())
    .addCommand(resolveCommand())
    .addCommand(decodeMessageCommand())
    .addCommand(governanceCommand())
    .addCommand(eventsCommand())
    .addCommand(faultsCommand())
    .addCommand(reportCommand())
    .addCommand(auditCommand())
    .addCommand(planCommand())
    .addCommand(applyCommand())
    .addCommand(rollbackCommand())
    .addCommand(runCommand());
  await program.parseAsync(argv);
}
