import type { InstanceStatusReport, StatusCheck } from "../../domain/events/instance-status.ts";
import { INSTANCE_STATE_CODES } from "../../domain/instance/instance-state.ts";
import { defineAction } from "../action.ts";
import { compileFilters, getFilters, type FilterSchema } from "../filters.ts";
import { getInstanceIdsAndPage } from "../instance-id-params.ts";
import { paginate, type PageRequest } from "../pagination.ts";
import { getBoolean } from "../query-params.ts";
import { renderInstanceState } from "../render/instance-xml.ts";
import type { XmlObject } from "../xml.ts";

const ACTION = "DescribeInstanceStatus";
export const PARAM_INCLUDE_ALL_INSTANCES = "IncludeAllInstances";
const REACHABILITY = "reachability";

interface DescribeInstanceStatusInput {
  readonly instanceIds: readonly string[];
  readonly includeAll: boolean;
  readonly matches: (report: InstanceStatusReport) => boolean;
  readonly page: PageRequest;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The filters of the API reference that the emulated status can answer; others are refused. */
const STATUS_FILTERS: FilterSchema<InstanceStatusReport> = {
  fields: {
    "availability-zone": (r) => [r.availabilityZone],
    "event.code": (r) => r.events.map((e) => e.code),
    "event.description": (r) => r.events.map((e) => e.description),
    "event.instance-event-id": (r) => r.events.map((e) => e.instanceEventId),
    "event.not-after": (r) => r.events.map((e) => iso(e.notAfterMs)),
    "event.not-before": (r) => r.events.map((e) => iso(e.notBeforeMs)),
    "instance-state-code": (r) => [INSTANCE_STATE_CODES[r.state]],
    "instance-state-name": (r) => [r.state],
    "instance-status.reachability": (r) => [r.instanceStatus.reachability],
    "instance-status.status": (r) => [r.instanceStatus.status],
    "system-status.reachability": (r) => [r.systemStatus.reachability],
    "system-status.status": (r) => [r.systemStatus.status],
  },
};

function renderCheck(check: StatusCheck): XmlObject {
  return {
    status: check.status,
    details: check.reachability === null ? undefined : [{ name: REACHABILITY, status: check.reachability }],
  };
}

function renderStatus(r: InstanceStatusReport): XmlObject {
  return {
    instanceId: r.instanceId,
    availabilityZone: r.availabilityZone,
    availabilityZoneId: r.availabilityZoneId,
    eventsSet:
      r.events.length === 0
        ? undefined
        : r.events.map((e) => ({
            instanceEventId: e.instanceEventId,
            code: e.code,
            description: e.description,
            notAfter: new Date(e.notAfterMs),
            notBefore: new Date(e.notBeforeMs),
          })),
    instanceState: renderInstanceState(r.state),
    systemStatus: renderCheck(r.systemStatus),
    instanceStatus: renderCheck(r.instanceStatus),
  };
}

/**
 * DescribeInstanceStatus (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstanceStatus.html):
 * running instances by default, every state with IncludeAllInstances; the scheduled maintenance
 * events of the notices feature appear in `eventsSet`. Unknown named ids fail the whole call.
 */
export const describeInstanceStatusAction = defineAction<DescribeInstanceStatusInput>({
  name: ACTION,
  parse(ctx, services) {
    const { instanceIds, page } = getInstanceIdsAndPage(ctx.params, ACTION);
    const includeAll = getBoolean(ctx.params, PARAM_INCLUDE_ALL_INSTANCES) ?? false;
    const matches = compileFilters(getFilters(ctx.params), STATUS_FILTERS);
    if (instanceIds.length > 0) services.instances.find(ctx, instanceIds);
    return { instanceIds, includeAll, matches, page };
  },
  execute({ instanceIds, includeAll, matches, page }, ctx, services) {
    const instances = instanceIds.length > 0 ? services.instances.find(ctx, instanceIds) : services.instances.inScope(ctx);
    const reports = services.statuses.reports(instances, includeAll, ctx.nowMs);
    const { items, nextToken } = paginate(reports, matches, page, ACTION);
    return { instanceStatusSet: items.map(renderStatus), nextToken };
  },
});
