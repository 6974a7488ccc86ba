import { DomainError } from "../errors.ts";
import type { EventKind } from "./scheduled-event.ts";

/**
 * Which instances an event may be scheduled on. EC2 interrupts Spot Instances only, so a Spot
 * interruption notice on an instance whose `instance-life-cycle` says `on-demand` is a state real
 * EC2 never shows (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html).
 * Launch a Spot Instance with RunInstances `InstanceMarketOptions.MarketType=spot`.
 * See docs/behaviour.md#spot-events-need-spot.
 */
export function assertEventFitsInstance(kind: EventKind, instanceId: string, lifecycle: "on-demand" | "spot"): void {
  if (kind === "spot-interruption" && lifecycle !== "spot") {
    throw new DomainError(
      "IncorrectInstanceState",
      `The instance '${instanceId}' is an on-demand instance (instance-life-cycle: on-demand); spot-interruption events apply to Spot Instances only (RunInstances InstanceMarketOptions.MarketType=spot)`,
    );
  }
}
