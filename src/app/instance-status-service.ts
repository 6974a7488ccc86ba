import { instanceStatusReport, isDescribedByDefault, type InstanceStatusReport } from "../domain/events/instance-status.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { ScheduledEventsQuery } from "./ports.ts";

/** DescribeInstanceStatus's use case: instances with their status checks and scheduled events. */
export class InstanceStatusService {
  constructor(private readonly ports: { readonly events: ScheduledEventsQuery }) {}

  /** Running instances only, unless `includeAll` (IncludeAllInstances) asks for every state. */
  reports(instances: readonly Instance[], includeAll: boolean, nowMs: number): InstanceStatusReport[] {
    return instances
      .filter((i) => includeAll || isDescribedByDefault(i.record.state))
      .map((i) => instanceStatusReport(i.record, this.ports.events.list(i.record.instanceId), nowMs));
  }
}
