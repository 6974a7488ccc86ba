/** The one place a command's failure becomes a line on stderr and an exit code (docs/cli.md#exit-codes). */
import { ControlApiError } from "../api/control-client.ts";
import { SettingsError } from "../config/settings.ts";
import { isDomainError } from "../domain/errors.ts";
import { ToolkitError } from "../toolkit/cli-support.ts";
import { EXIT, type ExitCode } from "./exit-codes.ts";

/** An input a command cannot use, found after the command line parsed (a flag combination, an unreadable file). */
export class UsageError extends Error {}

const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"]);

/** AWS SDK errors carry `$metadata` (the service answered); network errors carry a system code. */
function isEndpointFailure(err: unknown): boolean {
  if (err === null || typeof err !== "object") return false;
  const e = err as { $metadata?: unknown; code?: unknown };
  return e.$metadata !== undefined || (typeof e.code === "string" && NETWORK_ERRORS.has(e.code));
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof ControlApiError) return err.failure === "refused" ? EXIT.refused : EXIT.unreachable;
  if (err instanceof UsageError || err instanceof ToolkitError || err instanceof SettingsError || isDomainError(err)) return EXIT.usage;
  // The SDK's credential chain found nothing usable: a setting of the user's, not the endpoint's.
  if ((err as { name?: unknown } | null)?.name === "CredentialsProviderError") return EXIT.usage;
  if (isEndpointFailure(err)) return EXIT.unreachable;
  return EXIT.internal;
}

export function failureMessage(err: unknown): string {
  if (isDomainError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof ControlApiError || err instanceof UsageError || err instanceof ToolkitError || err instanceof SettingsError) return err.message;
  const e = err as Error | undefined;
  return `${e?.name ?? "Error"}: ${e?.message ?? String(err)}`;
}

/**
 * Runs a command's body. What it returns is the exit code (nothing: 0); what it throws becomes
 * `imds-lab: <one line>` on stderr and the code of exitCodeFor. The stack is printed for defects,
 * and for every failure with IMDS_LAB_DEBUG=1.
 */
export async function runAction(body: () => Promise<ExitCode | void> | ExitCode | void): Promise<void> {
  try {
    process.exitCode = (await body()) ?? EXIT.ok;
  } catch (err) {
    const code = exitCodeFor(err);
    process.stderr.write(`imds-lab: ${failureMessage(err)}\n`);
    const stack = err instanceof Error ? err.stack : undefined;
    if ((code === EXIT.internal || process.env.IMDS_LAB_DEBUG === "1") && stack !== undefined) process.stderr.write(`${stack}\n`);
    process.exitCode = code;
  }
}
