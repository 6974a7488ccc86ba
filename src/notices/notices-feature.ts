import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, type ApiRoute } from "../api/api-server.ts";
import { answeringDomainErrors, sendControlError } from "../api/control-errors.ts";
import { PATH_EVENTS, PATH_FAULTS, routeKey } from "../api/control-paths.ts";
import type { AppContext, Feature } from "../app/app-context.ts";
import { assertEventFitsInstance } from "../domain/events/event-eligibility.ts";
import type { SpotAction } from "../domain/events/scheduled-event.ts";
import { parseEventRequest, parseFaultRequest } from "./control-requests.ts";
import { EventScheduler } from "./event-scheduler.ts";
import { FaultScheduler } from "./fault-scheduler.ts";
import { ScheduledEventBook } from "./scheduled-event-book.ts";
import { systemTimers, type Timers } from "./timers.ts";

/** Scheduled events (spot, rebalance, maintenance, Auto Scaling) and fault injection per instance. */
export function createNoticesFeature(ctx: AppContext, timers: Timers = systemTimers, book: ScheduledEventBook = new ScheduledEventBook()): Feature {
  const logError = (err: unknown) => process.stderr.write(`imds-lab: ${err instanceof Error ? err.message : String(err)}\n`);
  const events = new EventScheduler({
    clock: ctx.clock,
    timers,
    publish: (instanceId, notices) => ctx.host.setNotices(instanceId, notices),
    interrupt: (instanceId, action) => interruptInstance(ctx, instanceId, action),
    newId: () => `evt-${ctx.app.ids.hex(12)}`,
    newEventId: () => `instance-event-${ctx.app.ids.hex(17)}`,
    onError: logError,
    book,
  });
  const faults = new FaultScheduler({
    clock: ctx.clock,
    timers,
    apply: (instanceId, fault, stats) => ctx.host.setFault(instanceId, fault, stats),
    onError: logError,
  });

  /** The instance must exist; an unknown id is answered as EC2 names it. */
  const known = (instanceId: string): boolean => ctx.app.instances.get(instanceId) !== undefined;
  const query = (req: IncomingMessage) => new URL(req.url ?? "/", "http://control").searchParams;
  const param = (req: IncomingMessage, name: string) => query(req).get(name) ?? undefined;
  const notFound = (res: ServerResponse, instanceId: string) =>
    sendControlError(res, "InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
  const guarded = answeringDomainErrors;

  const routes: Array<readonly [string, ApiRoute]> = [
    [
      routeKey("POST", PATH_EVENTS),
      guarded((_req, res, body) => {
        const request = parseEventRequest(body, ctx.defaultInstanceId);
        const instance = ctx.app.instances.get(request.instanceId);
        if (instance === undefined) return notFound(res, request.instanceId);
        assertEventFitsInstance(request.kind, request.instanceId, instance.record.lifecycle);
        sendJson(res, 201, events.schedule(request));
      }),
    ],
    [routeKey("GET", PATH_EVENTS), guarded((req, res) => sendJson(res, 200, { events: events.list(param(req, "instanceId")) }))],
    [
      routeKey("DELETE", PATH_EVENTS),
      guarded((req, res) => sendJson(res, 200, { cancelled: events.cancel({ id: param(req, "id"), instanceId: param(req, "instanceId") }) })),
    ],
    [
      routeKey("PUT", PATH_FAULTS),
      guarded(async (_req, res, body) => {
        const { instanceId, script } = parseFaultRequest(body, ctx.defaultInstanceId);
        if (!known(instanceId)) return notFound(res, instanceId);
        sendJson(res, 200, await faults.set(instanceId, script));
      }),
    ],
    [routeKey("GET", PATH_FAULTS), guarded((req, res) => sendJson(res, 200, { faults: faults.list(param(req, "instanceId")) }))],
    [
      routeKey("DELETE", PATH_FAULTS),
      guarded(async (req, res) => {
        const instanceId = param(req, "instanceId") ?? ctx.defaultInstanceId;
        if (!known(instanceId)) return notFound(res, instanceId);
        sendJson(res, 200, { instanceId, cleared: await faults.clear(instanceId) });
      }),
    ],
  ];

  return {
    routes,
    readyEntries: () => ({ hopLimitMode: ctx.host.hopLimitMode() }),
    close() {
      events.close();
      faults.close();
    },
  };
}

/** EC2 acts on a Spot interruption at the notice's time: terminate, or stop (hibernate stops too). */
async function interruptInstance(ctx: AppContext, instanceId: string, action: SpotAction): Promise<void> {
  const doc = ctx.app.instances.get(instanceId);
  if (doc === undefined) return;
  const scope = { accountId: doc.record.accountId, region: doc.record.region };
  const { instances } = ctx.app;
  await instances.applyStateChange(instances.planStateChange(scope, [instanceId], action === "terminate" ? "terminate" : "stop"));
}
