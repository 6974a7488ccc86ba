import { readFileSync } from "node:fs";
import { Command } from "commander";
import { COMMANDS } from "./commands.ts";
import { exitUsageErrorsWith2 } from "./exit-codes.ts";
import { silenceProcessWarnings } from "./process-warnings.ts";

/** The same relative path from src/cli and from dist/cli. */
const PACKAGE_JSON = new URL("../../package.json", import.meta.url);

export function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version: string }).version;
}

/**
 * The command named on the line (`imds-lab serve …`, or `imds-lab help serve`), found before
 * commander parses, so that only its module is imported. Top-level options take no value.
 */
export function requestedCommand(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith("-"));
  return words[0] === "help" ? words[1] : words[0];
}

export async function main(argv: string[]): Promise<void> {
  const args = argv.slice(2);
  // Before any command module loads: a library may warn while it is imported.
  if (!args.includes("--verbose")) silenceProcessWarnings();
  const wanted = requestedCommand(args);
  const program = new Command("imds-lab")
    .description("A local EC2 Instance Metadata Service and the configuration plane that decides its options")
    .version(packageVersion(), "-V, --version", "print the version of imds-lab")
    .option("--verbose", "also print warnings of Node.js and of libraries (such as the AWS SDK's Node version notice)")
    .helpCommand("help [command]", "list every command, or show one command's options");
  for (const command of COMMANDS) {
    // Listed by name and summary; only the command that runs is imported and fully defined.
    program.addCommand(command.name === wanted ? await command.load() : new Command(command.name).description(command.summary));
  }
  await exitUsageErrorsWith2(program).parseAsync(argv);
}
