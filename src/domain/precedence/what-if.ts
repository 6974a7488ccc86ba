/**
 * "What would change if a level changed": the launch resolution (resolve.ts) re-run with one level
 * removed (or, for the AMI, its ImdsSupport flipped), each result compared field by field with the
 * real one. Powers `imds-lab explain` (from a running emulator) and `imds-lab resolve` (offline).
 */
import { DomainError, isDomainError } from "../errors.ts";
import type { MetadataOptions } from "../options/metadata-options.ts";
import { sameOptionSource, type LaunchOptionSource } from "../instance/option-source.ts";
import {
  assertLaunchAllowed,
  launchPrecedenceLayers,
  OPTION_FIELDS,
  resolveLayers,
  type LaunchOptionsRequest,
  type ResolvedLaunchOptions,
} from "./resolve.ts";

export type LaunchOutcome =
  | { readonly ok: true; readonly resolved: ResolvedLaunchOptions }
  /** Refused after resolution (IMDSv2 enforcement): `resolved` is what precedence gave. */
  | { readonly ok: false; readonly resolved: ResolvedLaunchOptions; readonly error: { readonly code: string; readonly message: string } };

export interface FieldChange {
  readonly field: keyof MetadataOptions;
  readonly from: { readonly value: MetadataOptions[keyof MetadataOptions]; readonly source: LaunchOptionSource };
  readonly to: { readonly value: MetadataOptions[keyof MetadataOptions]; readonly source: LaunchOptionSource };
}

export interface WhatIf {
  /** Stable id, e.g. `without-account-defaults`. */
  readonly id: string;
  readonly description: string;
  readonly outcome: LaunchOutcome;
  /** Fields whose value or deciding level would differ; empty when nothing would. */
  readonly changes: readonly FieldChange[];
}

export interface LaunchExplanation {
  readonly outcome: LaunchOutcome;
  readonly whatIf: readonly WhatIf[];
}

/** The resolution and, separately, whether enforcement would refuse it (docs/behaviour.md#imdsv2-enforcement). */
export function launchOutcome(request: LaunchOptionsRequest): LaunchOutcome {
  const resolved = resolveLayers(launchPrecedenceLayers(request));
  try {
    assertLaunchAllowed(request.account, resolved.options);
    return { ok: true, resolved };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return { ok: false, resolved, error: { code: err.code, message: err.message } };
  }
}

const ACCOUNT_FIELDS = ["httpTokens", "httpPutResponseHopLimit", "httpEndpoint", "instanceMetadataTags", "httpTokensEnforced"] as const;

function hasValues(values: object | undefined): boolean {
  return values !== undefined && Object.values(values).some((v) => v !== undefined);
}

/** The alternative requests worth asking about, given which levels this launch has. */
export function whatIfScenarios(request: LaunchOptionsRequest): { id: string; description: string; request: LaunchOptionsRequest }[] {
  const scenarios: { id: string; description: string; request: LaunchOptionsRequest }[] = [];
  if (hasValues(request.launchParameters)) {
    const { launchParameters: _omit, ...rest } = request;
    scenarios.push({ id: "without-launch-parameters", description: "if RunInstances gave no MetadataOptions", request: rest });
  }
  if (request.launchTemplate !== undefined && hasValues(request.launchTemplate.input)) {
    const { launchTemplate: _omit, ...rest } = request;
    scenarios.push({ id: "without-launch-template", description: "if the launch template set no MetadataOptions", request: rest });
  }
  if (ACCOUNT_FIELDS.some((f) => request.account[f] !== undefined)) {
    scenarios.push({
      id: "without-account-defaults",
      description: `if the account defaults of ${request.account.region} were all no-preference`,
      request: { ...request, account: { managedBy: request.account.managedBy, region: request.account.region } },
    });
  }
  const ami = request.image.imageId.startsWith("ami-") ? `the AMI ${request.image.imageId}` : request.image.imageId;
  if (request.image.imdsSupport === "v2.0") {
    scenarios.push({
      id: "ami-without-imds-support",
      description: `if ${ami} had no ImdsSupport`,
      request: { ...request, image: { ...request.image, imdsSupport: null } },
    });
  } else {
    scenarios.push({
      id: "ami-with-imds-support",
      description: `if ${ami} had ImdsSupport=v2.0`,
      request: { ...request, image: { ...request.image, imdsSupport: "v2.0" } },
    });
  }
  return scenarios;
}

export function compareOutcomes(from: ResolvedLaunchOptions, to: ResolvedLaunchOptions): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of OPTION_FIELDS) {
    const before = { value: from.options[field], source: from.sources[field] };
    const after = { value: to.options[field], source: to.sources[field] };
    if (before.value !== after.value || !sameOptionSource(before.source, after.source)) changes.push({ field, from: before, to: after });
  }
  return changes;
}

export function explainLaunch(request: LaunchOptionsRequest): LaunchExplanation {
  const outcome = launchOutcome(request);
  const whatIf = whatIfScenarios(request).map((scenario) => {
    const alternative = launchOutcome(scenario.request);
    return { id: scenario.id, description: scenario.description, outcome: alternative, changes: compareOutcomes(outcome.resolved, alternative.resolved) };
  });
  return { outcome, whatIf };
}

/** For callers that want the launch's own error thrown, as RunInstances would answer. */
export function throwIfRefused(outcome: LaunchOutcome): ResolvedLaunchOptions {
  if (!outcome.ok) throw new DomainError(outcome.error.code, outcome.error.message);
  return outcome.resolved;
}
