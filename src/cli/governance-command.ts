import { readFileSync } from "node:fs";
import { Command } from "commander";
import { controlClient, endpointOption } from "./control-command-support.ts";
import { runAction, UsageError } from "./run-action.ts";

interface EndpointFlags {
  readonly endpointUrl: string;
}

function readDocument(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const endpoint = (c: Command) => c.option(...endpointOption);

export function governanceCommand(): Command {
  const governance = new Command("governance").description("show or change access keys, identity policies, SCPs and declarative policies of a running emulator");
  governance.addCommand(
    endpoint(new Command("show").description("print the governance in force (secrets are not shown)")).action((flags: EndpointFlags) =>
      runAction(async () => print(await controlClient(flags.endpointUrl).governance())),
    ),
  );
  governance.addCommand(
    endpoint(new Command("load").description("merge a governance file (JSON/YAML, as --governance-file) into the running emulator"))
      .argument("<file>", "the governance file")
      .option("--replace", "forget the keys and policies in force first")
      .action((file: string, flags: EndpointFlags & { replace?: boolean }) =>
        runAction(async () => print(await controlClient(flags.endpointUrl).loadGovernance(readDocument(file), { replace: flags.replace === true }))),
      ),
  );
  governance.addCommand(
    endpoint(new Command("declarative-policy").description("attach (or --detach) an AWS Organizations declarative policy with ec2_attributes.instance_metadata_defaults"))
      .option("--file <file>", "the policy document (JSON)")
      .option("--detach", "detach the policy: the account manages its defaults again")
      .option("--region <name>", "the Region it applies to (default: the emulator's)")
      .option("--account-id <id>", "the account it applies to (default: the emulator's)")
      .action((flags: EndpointFlags & { file?: string; detach?: boolean; region?: string; accountId?: string }) =>
        runAction(async () => {
          const scope = { region: flags.region, accountId: flags.accountId };
          const client = controlClient(flags.endpointUrl);
          if (flags.detach === true) return print(await client.detachDeclarativePolicy(scope));
          if (flags.file === undefined) throw new UsageError("give --file <policy.json> or --detach");
          print(await client.attachDeclarativePolicy(readDocument(flags.file), scope));
        }),
      ),
  );
  return governance;
}
