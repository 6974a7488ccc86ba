import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { EVENT_KINDS, MAINTENANCE_CODES, SPOT_ACTIONS, TARGET_LIFECYCLE_STATES, type EventRequest } from "../domain/events/scheduled-event.ts";
import { OUTAGE_MODES, type FaultScript, type FaultSpec } from "../domain/faults/fault-script.ts";
import { parseDuration, parseRate } from "./duration.ts";

/**
 * The control API's request bodies, parsed once at the boundary into the domain's inputs.
 * Durations are "200ms"/"30s"/"2m" strings or numbers of seconds.
 */
const duration = z.union([z.number(), z.string()]);

const eventBody = z
  .object({
    instanceId: z.string().min(1).optional(),
    kind: z.enum(EVENT_KINDS),
    in: duration.optional(),
    for: duration.optional(),
    action: z.enum(SPOT_ACTIONS).optional(),
    interrupt: z.boolean().optional(),
    code: z.enum(MAINTENANCE_CODES).optional(),
    description: z.string().min(1).max(255).optional(),
    startsIn: duration.optional(),
    window: duration.optional(),
    state: z.enum(TARGET_LIFECYCLE_STATES).optional(),
  })
  .strict();

const faultFields = {
  latency: duration.optional(),
  throttle: z
    .object({
      status: z.union([z.literal(429), z.literal(503)]),
      rate: z.union([z.number(), z.string()]),
      burst: z.number().int().optional(),
      retryAfter: z.number().int().optional(),
    })
    .strict()
    .optional(),
  drop: z.number().optional(),
  outage: z.enum(OUTAGE_MODES).optional(),
};
const faultBody = z.object(faultFields).strict();
const stepBody = z.object({ fault: faultBody.nullable(), for: duration.optional() }).strict();
const faultsBody = z
  .object({ instanceId: z.string().min(1).optional(), steps: z.array(stepBody).optional(), loop: z.boolean().optional(), for: duration.optional(), ...faultFields })
  .strict();

/** The JSON of POST /_imds-lab/events, as clients write it. */
export type EventRequestBody = z.input<typeof eventBody>;
/** The JSON of PUT /_imds-lab/faults: one fault (optionally held `for` a while) or a script of steps. */
export type FaultRequestBody = z.input<typeof faultsBody>;

function parseJson<T>(schema: z.ZodType<T>, body: Buffer): T {
  let value: unknown;
  try {
    value = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch {
    throw new DomainError("InvalidParameterValue", "the request body is not JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new DomainError("InvalidParameterValue", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
  }
  return parsed.data;
}

const optionalDuration = (value: string | number | undefined, name: string) => (value === undefined ? undefined : parseDuration(value, name));

export function parseEventRequest(body: Buffer, defaultInstanceId: string): EventRequest {
  const b = parseJson(eventBody, body);
  return {
    instanceId: b.instanceId ?? defaultInstanceId,
    kind: b.kind,
    inMs: parseDuration(b.in ?? 0, "in"),
    forMs: optionalDuration(b.for, "for"),
    action: b.action,
    interrupt: b.interrupt,
    code: b.code,
    description: b.description,
    startsInMs: optionalDuration(b.startsIn, "startsIn"),
    windowMs: optionalDuration(b.window, "window"),
    state: b.state,
  };
}

function toFaultSpec(f: z.infer<typeof faultBody>): FaultSpec | null {
  const spec: { -readonly [K in keyof FaultSpec]: FaultSpec[K] } = {};
  if (f.latency !== undefined) spec.latencyMs = parseDuration(f.latency, "latency");
  if (f.drop !== undefined) spec.dropRate = f.drop;
  if (f.outage !== undefined) spec.outage = f.outage;
  if (f.throttle !== undefined) {
    const rate = parseRate(f.throttle.rate, "throttle.rate");
    spec.throttle = {
      status: f.throttle.status,
      ratePerSecond: rate,
      burst: f.throttle.burst ?? Math.max(1, Math.ceil(rate)),
      retryAfterSeconds: f.throttle.retryAfter ?? null,
    };
  }
  return Object.keys(spec).length === 0 ? null : spec;
}

/** A script of steps, or one fault (held `for` a while, or until changed). */
export function parseFaultRequest(body: Buffer, defaultInstanceId: string): { instanceId: string; script: FaultScript } {
  const b = parseJson(faultsBody, body);
  const instanceId = b.instanceId ?? defaultInstanceId;
  if (b.steps !== undefined) {
    const single = ["latency", "throttle", "drop", "outage", "for"] as const;
    const mixed = single.filter((k) => b[k] !== undefined);
    if (mixed.length > 0) throw new DomainError("InvalidParameterCombination", `give either steps or ${mixed.join(", ")}, not both`);
    const steps = b.steps.map((s, i) => ({ fault: s.fault === null ? null : toFaultSpec(s.fault), durationMs: optionalDuration(s.for, `steps.${i}.for`) ?? null }));
    return { instanceId, script: { steps, loop: b.loop ?? false } };
  }
  const durationMs = optionalDuration(b.for, "for") ?? null;
  return { instanceId, script: { steps: [{ fault: toFaultSpec(b), durationMs }], loop: b.loop ?? false } };
}
