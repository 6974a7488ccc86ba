import type { AppContext, Feature } from "../app/app-context.ts";
import type { ImdsAccessEvent } from "../imds/request-handler.ts";
import type { Clock } from "../platform/clock.ts";
import type { Settings } from "../cli/settings.ts";

/**
 * Who calls the IMDS and how (issue: the IMDSv2 migration toolkit). Built before the IMDS host,
 * because the host takes its `onAccess` hook; attached to the rest once everything exists.
 */
export interface ObserveFeature {
  readonly onAccess: ((event: ImdsAccessEvent) => void) | undefined;
  attach(ctx: AppContext): Feature;
}

export function createObserveFeature(_args: { clock: Clock; settings: Settings }): ObserveFeature {
  return { onAccess: undefined, attach: () => ({}) };
}
