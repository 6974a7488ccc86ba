import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/** Everything `imds-lab serve` can be told, with its default. */
export const settingsSchema = z.object({
  imdsHost: z.string().default("127.0.0.1"),
  imdsPort: z.coerce.number().int().min(0).max(65535).default(1338),
  apiHost: z.string().default("127.0.0.1"),
  apiPort: z.coerce.number().int().min(0).max(65535).default(4566),
  state: z.string().optional(),
  ephemeral: z.coerce.boolean().default(false),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "a region name such as us-east-1").default("us-east-1"),
  accountId: z.string().regex(/^\d{12}$/, "12 digits").default("123456789012"),
  roleName: z.string().min(1).max(64).default("imds-lab-role"),
  httpTokens: z.enum(["optional", "required"]).optional(),
  hopLimit: z.coerce.number().int().min(1).max(64).optional(),
  httpEndpoint: z.enum(["enabled", "disabled"]).optional(),
  instanceMetadataTags: z.enum(["enabled", "disabled"]).optional(),
  httpProtocolIpv6: z.enum(["enabled", "disabled"]).optional(),
  userDataFile: z.string().optional(),
  connectionClose: z.coerce.boolean().default(false),
  /** How long new or modified metadata options report `pending` before `applied`. */
  optionsApplyDelayMs: z.coerce.number().int().min(0).max(600_000).default(2000),
  /**
   * Host names the API answers besides IP literals and localhost (DNS rebinding guard), comma
   * separated: e.g. `imds-lab` when containers reach it by a compose service name.
   */
  allowedHosts: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (typeof v === "string" ? v.split(",") : v).map((name) => name.trim().toLowerCase()).filter((name) => name !== ""))
    .default([]),
  /** `verify` checks SigV4 signatures against known access keys; `off` accepts any signature. */
  auth: z.enum(["off", "verify"]).default("off"),
  /**
   * With `verify`: the bearer token that administers the emulator's own routes (env
   * IMDS_LAB_ADMIN_TOKEN, which the CLI commands send too); unset, one is made and printed once in
   * the ready line as `adminToken`.
   */
  adminToken: z.string().min(16, "at least 16 characters").optional(),
  /** JSON/YAML file of access keys, principals, identity policies, SCPs and declarative policies. */
  governanceFile: z.string().optional(),
  /** How many IMDS requests the access log keeps (a ring; the oldest go first). */
  accessLogSize: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** Attribute same-host callers to their process through /proc (Linux). */
  attributeCallers: z.coerce.boolean().default(true),
  /**
   * How HttpPutResponseHopLimit is enforced: `ttl` sets the IP TTL of the token response, as EC2;
   * `simulate` withholds the token from callers in configured container networks; `auto` uses
   * ttl where the socket option can be set; `off` stores the limit only.
   */
  hopLimitMode: z.enum(["auto", "ttl", "simulate", "off"]).default("auto"),
  /** For `simulate`: source networks and their hop distance, e.g. "172.17.0.0/16=2,10.0.0.0/8=3". */
  simulatedNetworks: z.string().optional(),
  /** First address of the loopback range that gives each further instance its own endpoint. */
  instanceAddressBase: z.string().regex(/^127\.\d+\.\d+\.\d+$/, "an address in 127.0.0.0/8").default("127.1.0.1"),
});

export type Settings = z.infer<typeof settingsSchema>;

const BOOLEAN_SETTINGS = new Set(["ephemeral", "connectionClose", "attributeCallers"]);
export type SettingsInput = z.input<typeof settingsSchema>;

/** Setting name -> environment variable, e.g. imdsPort -> IMDS_LAB_IMDS_PORT. */
export function envName(key: string): string {
  return `IMDS_LAB_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME && env.XDG_DATA_HOME.length > 0 ? env.XDG_DATA_HOME : join(homedir(), ".local", "share");
  return join(base, "imds-lab", "state.db");
}

export class SettingsError extends Error {}

/**
 * Merges the three sources, highest first: command-line flags, IMDS_LAB_* environment variables,
 * then the JSON or YAML config file; anything left unset takes its default.
 */
export function loadSettings(flags: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Settings {
  const configPath = (flags.config as string | undefined) ?? env.IMDS_LAB_CONFIG;
  const fromFile = configPath === undefined ? {} : readConfigFile(configPath);
  const fromEnv: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape)) {
    const value = env[envName(key)];
    if (value !== undefined && value !== "") fromEnv[key] = BOOLEAN_SETTINGS.has(key) ? value === "true" || value === "1" : value;
  }
  const fromFlags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) if (value !== undefined && key !== "config") fromFlags[key] = value;
  return parseSettings({ ...fromFile, ...fromEnv, ...fromFlags });
}

/** Settings from one object (the programmatic API's options); unknown keys and bad values throw SettingsError. */
export function parseSettings(input: SettingsInput | Record<string, unknown>): Settings {
  const parsed = settingsSchema.strict().safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new SettingsError(`invalid settings: ${problems}`);
  }
  return parsed.data;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new SettingsError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  const value: unknown = parseYaml(text);
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw new SettingsError(`config file ${path} must hold a mapping of settings`);
  return value as Record<string, unknown>;
}
