import { Command } from "commander";
import { adminAuthHeaders } from "../api/admin-credential.ts";

export function certificateCommand(): Command {
  return new Command("certificate")
    .description("print the certificates that verify the identity documents' pkcs7 (DSA) and rsa2048/signature (RSA)")
    .option("--endpoint-url <url>", "the running emulator's API", "http://127.0.0.1:4566")
    .action(async (flags: { endpointUrl: string }) => {
      const response = await fetch(new URL("/_imds-lab/certificate", flags.endpointUrl), { headers: adminAuthHeaders() });
      if (!response.ok) {
        process.stderr.write(`imds-lab: ${flags.endpointUrl} answered ${response.status}\n`);
        process.exit(1);
      }
      process.stdout.write(await response.text());
    });
}
