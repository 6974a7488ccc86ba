import type { Instance } from "../../domain/instance/instance.ts";
import { metadataOptionsState } from "../../app/instance-service.ts";
import { defineAction } from "../action.ts";
import { compileFilters, getFilters } from "../filters.ts";
import { getInstanceIdsAndPage } from "../instance-id-params.ts";
import { paginate, type PageRequest } from "../pagination.ts";
import { renderReservation, type InstanceView } from "../render/instance-xml.ts";
import type { XmlObject } from "../xml.ts";
import { instanceFilterSchema } from "./instance-filters.ts";

const ACTION = "DescribeInstances";

interface DescribeInstancesInput {
  readonly instanceIds: readonly string[];
  readonly matches: (doc: Instance) => boolean;
  readonly page: PageRequest;
}

/** Instances of one page, grouped into their reservations in order of first appearance. */
function reservations(docs: readonly Instance[], nowMs: number): XmlObject[] {
  const groups = new Map<string, { ownerId: string; views: InstanceView[] }>();
  for (const doc of docs) {
    const { reservationId, accountId } = doc.record;
    const group = groups.get(reservationId) ?? { ownerId: accountId, views: [] };
    group.views.push({ record: doc.record, state: doc.record.state, optionsState: metadataOptionsState(doc, nowMs) });
    groups.set(reservationId, group);
  }
  return [...groups].map(([id, group]) => renderReservation(id, group.ownerId, group.views));
}

/**
 * DescribeInstances over the caller's account and Region. Terminated instances stay listed (EC2
 * keeps them visible for about an hour; here until the state is reset). Named ids that do not
 * exist fail the whole call, all of them named in the message.
 */
export const describeInstancesAction = defineAction<DescribeInstancesInput>({
  name: ACTION,
  parse(ctx, services) {
    const { instanceIds, page } = getInstanceIdsAndPage(ctx.params, ACTION);
    const matches = compileFilters(getFilters(ctx.params), instanceFilterSchema(ctx.nowMs));
    if (instanceIds.length > 0) services.instances.find(ctx, instanceIds);
    return { instanceIds, matches, page };
  },
  execute({ instanceIds, matches, page }, ctx, services) {
    const all = instanceIds.length > 0 ? services.instances.find(ctx, instanceIds) : services.instances.inScope(ctx);
    const { items, nextToken } = paginate(all, matches, page, ACTION);
    return { reservationSet: reservations(items, ctx.nowMs), nextToken };
  },
});
