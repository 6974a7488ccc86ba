import { readFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import type { FaultRequestBody } from "../notices/control-requests.ts";
import { controlClient, endpointOption } from "./control-command-support.ts";
import { runAction as run, UsageError } from "./run-action.ts";

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

interface SetFlags {
  instance?: string;
  latency?: string;
  throttle?: string;
  rate?: string;
  burst?: number;
  retryAfter?: number;
  drop?: number;
  outage?: string;
  outageMode?: string;
  for?: string;
  endpointUrl: string;
}

export function faultsCommand(): Command {
  const faults = new Command("faults").description("inject latency, throttling, dropped connections and outages into an instance's IMDS");
  faults
    .command("set")
    .description("put one fault in force (until cleared, or --for a while); flags combine")
    .option("--instance <id>", "instance id (default: the default instance)")
    .option("--latency <duration>", "added before every answer, e.g. 200ms")
    .option("--throttle <status>", "answer requests over --rate with 429 (seen in the field) or 503 + Retry-After (documented)")
    .option("--rate <rate>", "with --throttle: admitted requests, e.g. 10/s (0 refuses all)", "0")
    .option("--burst <n>", "with --throttle: requests admitted at once (default: one second's worth)", number)
    .option("--retry-after <seconds>", "with --throttle: Retry-After value (503 default 1)", number)
    .option("--drop <share>", "reset this share of connections without an answer, 0..1", number)
    .option("--outage <duration>", "answer nothing for this long (clients time out), then recover")
    .option("--outage-mode <mode>", "with --outage: timeout (default: accept, never answer) or refuse (connection refused)")
    .option("--for <duration>", "clear the fault after this long")
    .option(...endpointOption)
    .action((o: SetFlags) =>
      run(async () => {
        const body: Record<string, unknown> = {};
        if (o.instance !== undefined) body.instanceId = o.instance;
        if (o.latency !== undefined) body.latency = o.latency;
        if (o.drop !== undefined) body.drop = o.drop;
        if (o.throttle !== undefined) {
          const status = Number(o.throttle);
          body.throttle = { status, rate: o.rate ?? "0", ...(o.burst === undefined ? {} : { burst: o.burst }), ...(o.retryAfter === undefined ? {} : { retryAfter: o.retryAfter }) };
        }
        if (o.outage !== undefined) {
          body.outage = o.outageMode ?? "timeout";
          body.for = o.outage;
        } else if (o.outageMode !== undefined) {
          body.outage = o.outageMode;
        }
        if (o.for !== undefined && o.outage === undefined) body.for = o.for;
        print(await controlClient(o.endpointUrl).setFaults(body as FaultRequestBody));
      }),
    );
  faults
    .command("script")
    .description('run a JSON script of timed steps: {"steps":[{"fault":{"throttle":{"status":503,"rate":0}},"for":"5s"},{"fault":null}],"loop":false}')
    .requiredOption("--file <file>", "the script (an object with steps, or an array of steps)")
    .option("--instance <id>", "instance id (default: the default instance)")
    .option("--loop", "start over after the last step")
    .option(...endpointOption)
    .action((o: { file: string; instance?: string; loop?: boolean; endpointUrl: string }) =>
      run(async () => {
        let script: unknown;
        try {
          script = JSON.parse(readFileSync(o.file, "utf8"));
        } catch (err) {
          throw new UsageError(`cannot read the script ${o.file}: ${(err as Error).message}`);
        }
        const body: Record<string, unknown> = Array.isArray(script) ? { steps: script } : { ...(script as object) };
        if (o.instance !== undefined) body.instanceId = o.instance;
        if (o.loop === true) body.loop = true;
        print(await controlClient(o.endpointUrl).setFaults(body as FaultRequestBody));
      }),
    );
  faults
    .command("clear")
    .description("remove the instance's fault and stop its script")
    .option("--instance <id>", "instance id (default: the default instance)")
    .option(...endpointOption)
    .action((o: { instance?: string; endpointUrl: string }) =>
      run(async () => {
        print(await controlClient(o.endpointUrl).clearFaults(o.instance));
      }),
    );
  faults
    .command("list")
    .description("show each instance's fault script, the step in force and what the faults did")
    .option("--instance <id>", "only this instance")
    .option(...endpointOption)
    .action((o: { instance?: string; endpointUrl: string }) =>
      run(async () => {
        print(await controlClient(o.endpointUrl).listFaults(o.instance));
      }),
    );
  return faults;
}
