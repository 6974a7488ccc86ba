import { adminAuthHeaders } from "../api/admin-credential.ts";
import { ControlClient, DEFAULT_ENDPOINT_URL, ENDPOINT_URL_ENV } from "../api/control-client.ts";

/** The `--endpoint-url` option of commands that talk to a running emulator's control API. */
export const endpointOption = [
  "--endpoint-url <url>",
  `the running emulator's API (env ${ENDPOINT_URL_ENV})`,
  process.env[ENDPOINT_URL_ENV] ?? DEFAULT_ENDPOINT_URL,
] as const;

/** A command's client of the control API, sending the admin credential when one is set. */
export function controlClient(endpointUrl: string): ControlClient {
  return new ControlClient(endpointUrl, { headers: adminAuthHeaders() });
}
