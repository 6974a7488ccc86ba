import { Command } from "commander";
import { controlClient, endpointOption } from "./control-command-support.ts";
import { runAction } from "./run-action.ts";

export function certificateCommand(): Command {
  return new Command("certificate")
    .description("print the certificates that verify the identity documents' pkcs7 (DSA) and rsa2048/signature (RSA)")
    .option(...endpointOption)
    .action((flags: { endpointUrl: string }) =>
      runAction(async () => {
        process.stdout.write(await controlClient(flags.endpointUrl).certificate());
      }),
    );
}
