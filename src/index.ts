/**
 * The package's programmatic entry, `import { startImdsLab } from "imds-lab"`: the emulator that
 * `imds-lab serve` runs, started inside a test suite's own process (docs/testing.md).
 */
import { PATH_DASHBOARD } from "./api/control-paths.ts";
import type { InstanceListing } from "./app/estate.ts";
import { parseSettings, SettingsError, type SettingsInput } from "./config/settings.ts";
import { startEmulator } from "./main.ts";

/**
 * The settings of `imds-lab serve`, by their camelCase names (`imdsPort`, `httpTokens`, `hopLimit`,
 * …; docs/cli.md), typed from the same schema. Environment variables and config files are not
 * read. Unlike the CLI, ports default to 0 (a free port each) and state to memory, unless `state`
 * names a file: a test suite then never collides with a running emulator or another worker.
 */
export type ImdsLabOptions = SettingsInput;

/** An instance as `GET /_imds-lab/instances` lists it. */
export type ImdsLabInstance = InstanceListing;

/** A running emulator: the fields of serve's ready line, the instances, and stop(). */
export interface ImdsLab {
  /** The default instance's IMDS endpoint: set AWS_EC2_METADATA_SERVICE_ENDPOINT to it. */
  readonly imds: string;
  /** Its IPv6 endpoint, when started with `httpProtocolIpv6: "enabled"`. */
  readonly imdsIpv6?: string;
  /** The EC2 Query API (pass as the SDK's `endpoint` or the AWS CLI's --endpoint-url). */
  readonly api: string;
  readonly dashboard: string;
  readonly defaultInstanceId: string;
  /** The SQLite file that keeps the state, or ":memory:". */
  readonly state: string;
  /** Every entry of the ready line, including those of features such as `adminToken`. */
  readonly ready: Readonly<Record<string, string>>;
  instances(): ImdsLabInstance[];
  /** Closes every listener, connection and timer and the state file; the process may then exit. */
  stop(): Promise<void>;
}

export { SettingsError };

export async function startImdsLab(options: ImdsLabOptions = {}): Promise<ImdsLab> {
  const settings = parseSettings({ imdsPort: 0, apiPort: 0, ephemeral: options.state === undefined, ...options });
  const emulator = await startEmulator(settings);
  const { estate } = emulator;
  let stopped: Promise<void> | undefined;
  const ready: Record<string, string> = {
    imds: emulator.imdsUrl,
    api: emulator.apiUrl,
    ...emulator.readyEntries,
    defaultInstanceId: emulator.defaultInstanceId,
    state: emulator.statePath,
  };
  return {
    imds: emulator.imdsUrl,
    ...(ready.imdsIpv6 === undefined ? {} : { imdsIpv6: ready.imdsIpv6 }),
    api: emulator.apiUrl,
    dashboard: ready.dashboard ?? `${emulator.apiUrl}${PATH_DASHBOARD}`,
    defaultInstanceId: emulator.defaultInstanceId,
    state: emulator.statePath,
    ready: Object.freeze(ready),
    instances: () => estate.listing(),
    stop: () => (stopped ??= emulator.close()),
  };
}
