import { readFileSync } from "node:fs";
import { Command } from "commander";
import { adminAuthHeaders } from "../api/admin-credential.ts";

interface EndpointFlags {
  readonly endpointUrl: string;
}

async function call(flags: EndpointFlags, method: string, path: string, query: Record<string, string | undefined>, body?: string): Promise<void> {
  const url = new URL(path, flags.endpointUrl);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  const headers = { ...adminAuthHeaders(), ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  if (!response.ok) {
    let reason = text;
    try {
      const parsed = JSON.parse(text) as { error?: string; message?: string };
      reason = `${parsed.error}: ${parsed.message}`;
    } catch {
      // not JSON: print as is
    }
    process.stderr.write(`imds-lab: ${reason}\n`);
    process.exit(1);
  }
  process.stdout.write(text);
}

const endpoint = (c: Command) => c.option("--endpoint-url <url>", "the running emulator's API", "http://127.0.0.1:4566");

export function governanceCommand(): Command {
  const governance = new Command("governance").description("show or change access keys, identity policies, SCPs and declarative policies of a running emulator");
  governance.addCommand(
    endpoint(new Command("show").description("print the governance in force (secrets are not shown)")).action((flags: EndpointFlags) =>
      call(flags, "GET", "/_imds-lab/governance", {}),
    ),
  );
  governance.addCommand(
    endpoint(new Command("load").description("merge a governance file (JSON/YAML, as --governance-file) into the running emulator"))
      .argument("<file>", "the governance file")
      .option("--replace", "forget the keys and policies in force first")
      .action((file: string, flags: EndpointFlags & { replace?: boolean }) =>
        call(flags, flags.replace === true ? "PUT" : "POST", "/_imds-lab/governance", {}, readFileSync(file, "utf8")),
      ),
  );
  governance.addCommand(
    endpoint(new Command("declarative-policy").description("attach (or --detach) an AWS Organizations declarative policy with ec2_attributes.instance_metadata_defaults"))
      .option("--file <file>", "the policy document (JSON)")
      .option("--detach", "detach the policy: the account manages its defaults again")
      .option("--region <name>", "the Region it applies to (default: the emulator's)")
      .option("--account-id <id>", "the account it applies to (default: the emulator's)")
      .action((flags: EndpointFlags & { file?: string; detach?: boolean; region?: string; accountId?: string }) => {
        const query = { region: flags.region, accountId: flags.accountId };
        if (flags.detach === true) return call(flags, "DELETE", "/_imds-lab/governance/declarative-policy", query);
        if (flags.file === undefined) {
          process.stderr.write("imds-lab: give --file <policy.json> or --detach\n");
          process.exit(2);
        }
        return call(flags, "PUT", "/_imds-lab/governance/declarative-policy", query, readFileSync(flags.file, "utf8"));
      }),
  );
  return governance;
}
