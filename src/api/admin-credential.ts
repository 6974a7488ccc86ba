/**
 * The credential the CLI sends to the emulator's own routes under `--auth verify`: the admin token
 * from IMDS_LAB_ADMIN_TOKEN, the same variable the server reads it from (docs/behaviour.md, "What
 * the API refuses, and why"). Any control-API client adds these headers to every request.
 */
export const ADMIN_TOKEN_ENV = "IMDS_LAB_ADMIN_TOKEN";
export const BEARER_PREFIX = "Bearer ";

export function adminAuthHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = env[ADMIN_TOKEN_ENV];
  return token === undefined || token === "" ? {} : { Authorization: `${BEARER_PREFIX}${token}` };
}
