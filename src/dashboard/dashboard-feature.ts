import type { AppContext, Feature } from "../app/app-context.ts";

/** The web dashboard served by the running emulator. */
export function createDashboardFeature(_ctx: AppContext): Feature {
  return {};
}
