import { ControlApiError, DEFAULT_ENDPOINT_URL } from "../notices/control-client.ts";

/** The `--endpoint-url` option of commands that talk to a running emulator's control API. */
export const endpointOption = [
  "--endpoint-url <url>",
  "the running emulator's API (env IMDS_LAB_ENDPOINT_URL)",
  process.env.IMDS_LAB_ENDPOINT_URL ?? DEFAULT_ENDPOINT_URL,
] as const;

/** Runs a command's action; a refusal of the control API becomes a message and exit code 1. */
export async function runControlAction(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof ControlApiError)) throw err;
    process.stderr.write(`imds-lab: ${err.message}\n`);
    process.exit(1);
  }
}
