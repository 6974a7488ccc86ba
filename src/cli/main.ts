import { Command } from "commander";
import { certificateCommand } from "./certificate-command.ts";
import { serveCommand } from "./serve-command.ts";

export async function main(argv: string[]): Promise<void> {
  const program = new Command("imds-lab")
    .description("A local EC2 Instance Metadata Service and the configuration plane that decides its options")
    .addCommand(serveCommand())
    .addCommand(certificateCommand());
  await program.parseAsync(argv);
}
