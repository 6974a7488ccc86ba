import { Command } from "commander";
import Table from "cli-table3";
import type { EventRequestBody } from "../notices/control-requests.ts";
import type { EventView } from "../notices/event-scheduler.ts";
import { controlClient, endpointOption } from "./control-command-support.ts";
import { runAction as run } from "./run-action.ts";

function detail(e: EventView): string {
  switch (e.kind) {
    case "spot-interruption":
      return e.action;
    case "maintenance":
      return e.code;
    case "autoscaling":
      return e.state;
    default:
      return "";
  }
}

export function eventsCommand(): Command {
  const events = new Command("events").description("schedule spot interruptions, rebalance recommendations, maintenance and Auto Scaling events on an instance");
  events
    .command("schedule")
    .description("post an event into an instance's metadata after a delay")
    .requiredOption("--kind <kind>", "spot-interruption, rebalance, maintenance or autoscaling")
    .option("--instance <id>", "instance id (default: the default instance)")
    .option("--in <duration>", "when it appears, e.g. 30s, 2m (default: now)")
    .option("--for <duration>", "how long it shows (default: spot until its action time, maintenance until NotAfter, others until cancelled)")
    .option("--action <action>", "spot: terminate (default), stop or hibernate")
    .option("--interrupt", "spot: also stop or terminate the instance at the action time, as EC2 does")
    .option("--code <code>", "maintenance: system-reboot (default), instance-reboot, system-maintenance, instance-retirement, instance-stop")
    .option("--description <text>", "maintenance: Description")
    .option("--starts-in <duration>", "maintenance: NotBefore, counted from when it appears (default 1d)")
    .option("--window <duration>", "maintenance: NotAfter - NotBefore (default 2h)")
    .option("--state <state>", "autoscaling: target lifecycle state, e.g. Terminated (default), InService, Warmed:Stopped")
    .option("--json", "print the event as JSON")
    .option(...endpointOption)
    .action((o: Record<string, string | boolean | undefined>) =>
      run(async () => {
        const body: Record<string, unknown> = { kind: o.kind };
        const map: Array<[string, string]> = [["instance", "instanceId"], ["in", "in"], ["for", "for"], ["action", "action"], ["code", "code"], ["description", "description"], ["startsIn", "startsIn"], ["window", "window"], ["state", "state"]];
        for (const [flag, key] of map) if (o[flag] !== undefined) body[key] = o[flag];
        if (o.interrupt === true) body.interrupt = true;
        // The emulator validates the body and answers a refusal naming the field.
        const event = await controlClient(String(o.endpointUrl)).scheduleEvent(body as EventRequestBody);
        if (o.json === true) process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
        else process.stdout.write(`${event.id}: ${event.kind} on ${event.instanceId} appears ${event.appearsAt}${event.disappearsAt === null ? "" : `, ends ${event.disappearsAt}`}\n`);
      }),
    );
  events
    .command("list")
    .description("list scheduled, showing and ended events")
    .option("--instance <id>", "only this instance")
    .option("--json", "print JSON")
    .option(...endpointOption)
    .action((o: { instance?: string; json?: boolean; endpointUrl: string }) =>
      run(async () => {
        const { events: list } = await controlClient(o.endpointUrl).listEvents(o.instance);
        if (o.json === true) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        const table = new Table({ head: ["ID", "INSTANCE", "KIND", "STATUS", "APPEARS", "ENDS", "DETAIL"] });
        for (const e of list) table.push([e.id, e.instanceId, e.kind, e.status, e.appearsAt, e.disappearsAt ?? "-", detail(e)]);
        process.stdout.write(`${list.length === 0 ? "no events" : table.toString()}\n`);
      }),
    );
  events
    .command("cancel")
    .description("cancel an event (a maintenance event that showed moves to history as canceled)")
    .option("--id <id>", "the event (evt-...)")
    .option("--instance <id>", "every event of this instance")
    .option(...endpointOption)
    .action((o: { id?: string; instance?: string; endpointUrl: string }) =>
      run(async () => {
        const { cancelled } = await controlClient(o.endpointUrl).cancelEvents({ id: o.id, instanceId: o.instance });
        process.stdout.write(`cancelled ${cancelled.length} event(s)${cancelled.length > 0 ? `: ${cancelled.map((e) => e.id).join(", ")}` : ""}\n`);
      }),
    );
  return events;
}
