import type { AppContext, Feature } from "../app/app-context.ts";

/** Scheduled events (spot, rebalance, maintenance, Auto Scaling) and fault injection per instance. */
export function createNoticesFeature(_ctx: AppContext): Feature {
  return {};
}
