/**
 * `explain` for a running emulator, as the control API and the CLI show it: the application's
 * explanation (src/app/explain-instance.ts) turned into the report keyed by EC2's field names.
 */
import type { ExplainService } from "../app/explain-instance.ts";
import type { LaunchOptionsRequest } from "../domain/precedence/resolve.ts";
import { optionsReport, outcomeReport, whatIfReports, type OptionsReport, type OutcomeReport, type WhatIfReport } from "./explain-report.ts";

export interface InstanceExplanation {
  readonly instanceId: string;
  readonly accountId: string;
  readonly region: string;
  readonly imageId: string;
  /** The options the instance has now and who set each. */
  readonly options: OptionsReport;
  /** The levels as they stand now, and what a launch with the same request would get today. */
  readonly relaunch: OutcomeReport & { readonly levels: LaunchOptionsRequest };
  readonly whatIf: readonly WhatIfReport[];
}

export function explainInstance(explain: ExplainService, instanceId: string): InstanceExplanation {
  const data = explain.explain(instanceId);
  const { record } = data.instance;
  return {
    instanceId,
    accountId: record.accountId,
    region: record.region,
    imageId: record.imageId,
    options: optionsReport(data.options, data.sources),
    relaunch: { ...outcomeReport(data.relaunch.outcome), levels: data.levels },
    whatIf: whatIfReports(data.relaunch),
  };
}
