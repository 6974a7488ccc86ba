/**
 * Instance use cases after launch: look up, change metadata options, start/stop/terminate. Each
 * `plan*` reads and decides (throwing before anything is written); `apply*` saves through the
 * estate, which applies the change to the live IMDS endpoint at once.
 */
import { DomainError } from "../domain/errors.ts";
import { incorrectInstanceState, instancesNotFound } from "../domain/instance/resource-errors.ts";
import { isTerminated, transitionFor, type StateOperation, type StateTransition } from "../domain/instance/instance-state.ts";
import { applyModification, type MetadataOptionsInput, type OptionsState } from "../domain/options/metadata-options.ts";
import { HTTP_TOKENS_ENFORCED_MESSAGE, OPTION_FIELDS } from "../domain/precedence/resolve.ts";
import { metadataTagKeyProblem } from "../domain/tags/metadata-tag-keys.ts";
import type { InstanceDocument } from "../store/state-store.ts";
import type { Ec2Services } from "./ec2-services.ts";
import type { AccountScope } from "./launch-lookups.ts";

/** DescribeInstances reports `pending` until the change has had time to reach the instance. */
export function metadataOptionsState(doc: InstanceDocument, nowMs: number): OptionsState {
  return doc.optionsPendingUntilMs !== undefined && nowMs < doc.optionsPendingUntilMs ? "pending" : "applied";
}

/** The account's instances in the region, in launch order (terminated ones included, as EC2 lists them for a while). */
export function instancesInScope(services: Ec2Services, scope: AccountScope): InstanceDocument[] {
  return services.estate.list(scope);
}

/** The named instances of the account in the region, in request order; every missing id is named. */
export function findInstances(services: Ec2Services, scope: AccountScope, ids: readonly string[]): InstanceDocument[] {
  const found: InstanceDocument[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const doc = services.estate.get(id);
    if (doc === undefined || doc.record.accountId !== scope.accountId || doc.record.region !== scope.region) missing.push(id);
    else found.push(doc);
  }
  if (missing.length > 0) throw instancesNotFound(missing);
  return found;
}

/**
 * ModifyInstanceMetadataOptions: unspecified fields keep their value (MODEL). Under account-level
 * IMDSv2 enforcement only an explicit HttpTokens=optional is refused: "existing instances that
 * already have IMDSv1 enabled are not changed" (UG-EXIST), so other changes to them still pass.
 */
export function planMetadataOptionsChange(
  services: Ec2Services,
  scope: AccountScope & { nowMs: number },
  instanceId: string,
  change: MetadataOptionsInput,
): InstanceDocument {
  const [doc] = findInstances(services, scope, [instanceId]);
  const { record } = doc!;
  if (isTerminated(record.state)) throw incorrectInstanceState(instanceId, "modified");
  const account = services.store.accountDefaults(scope.accountId, scope.region);
  if (change.httpTokens === "optional" && account.httpTokensEnforced === "enabled") {
    throw new DomainError("UnsupportedOperation", HTTP_TOKENS_ENFORCED_MESSAGE);
  }
  const options = applyModification(record.metadataOptions, change);
  if (change.instanceMetadataTags === "enabled") {
    for (const tag of record.tags) {
      const problem = metadataTagKeyProblem(tag.key);
      if (problem !== null) throw new DomainError("InvalidParameterValue", problem);
    }
  }
  const sources: Record<string, { level: string; detail: string }> = { ...doc!.optionSources };
  const detail = `ModifyInstanceMetadataOptions at ${new Date(scope.nowMs).toISOString()}`;
  for (const field of OPTION_FIELDS) {
    if (change[field] !== undefined) sources[field] = { level: "modification", detail };
  }
  return {
    ...doc!,
    record: { ...record, metadataOptions: options },
    optionSources: sources,
    optionsPendingUntilMs: scope.nowMs + services.optionsApplyDelayMs,
  };
}

export async function saveInstance(services: Ec2Services, doc: InstanceDocument): Promise<void> {
  await services.estate.save(doc);
}

export interface PlannedStateChange {
  readonly doc: InstanceDocument;
  readonly transition: StateTransition;
}

/** Every instance is checked before any changes: one refused instance fails the whole call. */
export function planStateChange(
  services: Ec2Services,
  scope: AccountScope,
  ids: readonly string[],
  operation: StateOperation,
): PlannedStateChange[] {
  return findInstances(services, scope, ids).map((doc) => {
    const transition = transitionFor(doc.record.instanceId, doc.record.state, operation);
    return { doc: { ...doc, record: { ...doc.record, state: transition.stored } }, transition };
  });
}

/** Sets only the state on the instance as stored now, so a change saved meanwhile is not undone. */
export async function applyStateChange(services: Ec2Services, changes: readonly PlannedStateChange[]): Promise<void> {
  for (const { doc, transition } of changes) {
    if (transition.previous === transition.stored) continue;
    const current = services.estate.get(doc.record.instanceId) ?? doc;
    await services.estate.save({ ...current, record: { ...current.record, state: transition.stored } });
  }
}
