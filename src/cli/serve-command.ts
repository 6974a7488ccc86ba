import { Command, InvalidArgumentError } from "commander";
import { startEmulator } from "../main.ts";
import { HopLimitConfigError } from "../imds/hop-limit.ts";
import { StateFileError } from "../app/state-file-error.ts";
import { defaultStatePath, envName, loadSettings, SettingsError } from "../config/settings.ts";
import { EXIT } from "./exit-codes.ts";

function integer(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number");
  return Number(value);
}

const env = (key: string) => ` (env ${envName(key)})`;

export function serveCommand(): Command {
  return new Command("serve")
    .description("run the emulator: one IMDS endpoint per instance and the EC2 Query API")
    .option("--imds-host <address>", `address of the default instance's IMDS endpoint, default 127.0.0.1${env("imdsHost")}`)
    .option("--imds-port <port>", `port of the IMDS endpoints, 0 picks a free one, default 1338${env("imdsPort")}`, integer)
    .option("--api-host <address>", `address of the EC2 API, default 127.0.0.1${env("apiHost")}`)
    .option("--api-port <port>", `port of the EC2 API (use it as --endpoint-url), 0 picks a free one, default 4566${env("apiPort")}`, integer)
    .option("--state <file>", `SQLite file that keeps the state, default ${defaultStatePath()}${env("state")}`)
    .option("--ephemeral", `keep all state in memory; nothing is written${env("ephemeral")}`)
    .option("--region <name>", `region of the default instance, default us-east-1${env("region")}`)
    .option("--account-id <id>", `account of the default instance and of unsigned API calls, default 123456789012${env("accountId")}`)
    .option("--role-name <name>", `IAM role of the default instance, default imds-lab-role${env("roleName")}`)
    .option("--http-tokens <mode>", `default instance: optional (IMDSv1 allowed) or required (IMDSv2 only)${env("httpTokens")}`)
    .option("--hop-limit <n>", `default instance: HttpPutResponseHopLimit 1..64${env("hopLimit")}`, integer)
    .option("--http-endpoint <state>", `default instance: enabled, or disabled (every request answered 403)${env("httpEndpoint")}`)
    .option("--http-protocol-ipv6 <state>", `default instance: enabled also serves its IMDS on [::1] (named imdsIpv6 in the ready line)${env("httpProtocolIpv6")}`)
    .option("--instance-metadata-tags <state>", `default instance: enabled shows its tags under meta-data/tags/instance${env("instanceMetadataTags")}`)
    .option("--user-data-file <file>", `default instance: serve this file's bytes as user-data${env("userDataFile")}`)
    .option("--options-apply-delay-ms <ms>", `how long new or changed metadata options show State=pending before applied, default 2000${env("optionsApplyDelayMs")}`, integer)
    .option("--allowed-hosts <names>", `host names the API answers besides IP addresses and localhost, comma separated (DNS rebinding guard)${env("allowedHosts")}`)
    .option("--auth <mode>", `off (default): any signature is accepted; verify: SigV4 is checked against known access keys${env("auth")}`)
    .option("--governance-file <file>", `JSON/YAML file of access keys, principals, identity policies, SCPs and declarative policies${env("governanceFile")}`)
    .option("--access-log-size <n>", `IMDS requests kept in the access log, default 10000${env("accessLogSize")}`, integer)
    .option("--no-attribute-callers", `do not look up which local process made each IMDS request${env("attributeCallers")}`)
    .option("--hop-limit-mode <mode>", `auto (default), ttl (IP TTL of the token response, as EC2), simulate, or off${env("hopLimitMode")}`)
    .option("--simulated-networks <list>", `for --hop-limit-mode simulate: CIDR=hops,... e.g. 172.17.0.0/16=2${env("simulatedNetworks")}`)
    .option("--connection-close", `answer every IMDS request with Connection: close, as EC2 does${env("connectionClose")}`)
    .option("--config <file>", "JSON or YAML file of settings (keys as in camelCase: imdsPort, httpTokens, ...); flags beat environment beats file (env IMDS_LAB_CONFIG)")
    .addHelpText(
      "after",
      `
Once ready it prints one line of JSON on stdout, e.g.
  {"ready":true,"imds":"http://127.0.0.1:1338","api":"http://127.0.0.1:4566",...}
Point SDKs at the IMDS with AWS_EC2_METADATA_SERVICE_ENDPOINT=<imds>, and the AWS CLI at the API
with --endpoint-url <api>.`,
    )
    .action(async (options: Record<string, unknown>, command: Command) => {
      // Only what was typed counts as a flag: commander's own defaults (a --no-x flag defaults to
      // true) must not hide the environment or the config file.
      const flags: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(options)) if (command.getOptionValueSource(key) === "cli") flags[key] = value;
      let settings;
      try {
        settings = loadSettings(flags);
      } catch (err) {
        if (err instanceof SettingsError) {
          process.stderr.write(`imds-lab: ${err.message}\n`);
          process.exit(EXIT.usage);
        }
        throw err;
      }
      let emulator;
      try {
        emulator = await startEmulator(settings);
      } catch (err) {
        if (err instanceof HopLimitConfigError || err instanceof StateFileError || (err as NodeJS.ErrnoException).code === "EADDRINUSE") {
          process.stderr.write(`imds-lab: ${(err as Error).message}\n`);
          process.exit(EXIT.usage);
        }
        throw err;
      }
      // The banner goes first, so whoever reads the ready line can already read the banner.
      process.stderr.write(
        [
          "imds-lab is running.",
          `  IMDS of ${emulator.defaultInstanceId}: ${emulator.imdsUrl}`,
          `  EC2 API:        ${emulator.apiUrl}`,
          ...(emulator.readyEntries.dashboard === undefined ? [] : [`  dashboard:      ${emulator.readyEntries.dashboard}`]),
          `  state:          ${emulator.statePath}`,
          "Point an SDK or app at it:",
          `  export AWS_EC2_METADATA_SERVICE_ENDPOINT=${emulator.imdsUrl}`,
          `  curl -s -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' ${emulator.imdsUrl}/latest/api/token`,
          `  aws ec2 describe-instances --endpoint-url ${emulator.apiUrl}`,
          "",
        ].join("\n"),
      );
      process.stdout.write(
        `${JSON.stringify({ ready: true, imds: emulator.imdsUrl, api: emulator.apiUrl, ...emulator.readyEntries, defaultInstanceId: emulator.defaultInstanceId, state: emulator.statePath })}\n`,
      );
      const stop = () => {
        emulator.close().then(
          () => process.exit(EXIT.ok),
          () => process.exit(EXIT.internal),
        );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
