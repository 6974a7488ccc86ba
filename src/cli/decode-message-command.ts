import { readFileSync } from "node:fs";
import { Command } from "commander";
import { isDomainError } from "../domain/errors.ts";
import { extractEncodedMessage, type DecodedAuthorizationMessage } from "../domain/policy/authorization-message.ts";
import { decodeAuthorizationMessage } from "../govern/authorization-codec.ts";
import { EXIT } from "./exit-codes.ts";

export function renderDecoded(decoded: DecodedAuthorizationMessage): string {
  const lines = [
    `Denied: ${decoded.imdsLab.reason}.`,
    `Decided by: ${decoded.explicitDeny ? "an explicit Deny in" : "no Allow in"} the ${decoded.imdsLab.decidedBy}.`,
  ];
  if (decoded.imdsLab.statements.length > 0) lines.push("Statements:", ...decoded.imdsLab.statements.map((s) => `  - ${s}`));
  lines.push("Request context:");
  for (const key of decoded.imdsLab.absentKeys ?? []) lines.push(`  ${key} is absent from the request`);
  for (const { key, values } of decoded.context.conditions.items) lines.push(`  ${key} = ${values.items.map((v) => v.value).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

export function decodeMessageCommand(): Command {
  return new Command("decode-message")
    .description("turn an UnauthorizedOperation's encoded authorization message back into the reason (offline)")
    .argument("[message]", "the encoded message, or the whole error text that holds it; '-' or nothing reads stdin")
    .option("--json", "print the decoded message as STS DecodeAuthorizationMessage returns it")
    .action((message: string | undefined, flags: { json?: boolean }) => {
      const text = message === undefined || message === "-" ? readFileSync(0, "utf8") : message;
      try {
        const decoded = decodeAuthorizationMessage(extractEncodedMessage(text));
        process.stdout.write(flags.json === true ? `${JSON.stringify(decoded, null, 2)}\n` : renderDecoded(decoded));
      } catch (err) {
        process.stderr.write(`imds-lab: ${isDomainError(err) ? `${err.code}: ` : ""}${(err as Error).message}\n`);
        process.exit(EXIT.usage);
      }
    });
}
