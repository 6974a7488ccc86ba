/**
 * Instance use cases after launch: look up, change metadata options, start/stop/terminate. Each
 * `plan*` reads and decides (throwing before anything is written); `apply*` saves through the
 * estate, which applies the change to the live IMDS endpoint at once.
 */
import type { Instance } from "../domain/instance/instance.ts";
import { isTerminated, transitionFor, type StateOperation, type StateTransition } from "../domain/instance/instance-state.ts";
import { recordSources } from "../domain/instance/option-source.ts";
import { incorrectInstanceState, instancesNotFound } from "../domain/instance/resource-errors.ts";
import { applyModification, type MetadataOptionsInput, type OptionsState } from "../domain/options/metadata-options.ts";
import { assertModificationAllowed } from "../domain/precedence/resolve.ts";
import type { AccountScope } from "../domain/scope.ts";
import { assertTagKeysAllowedInMetadata } from "../domain/tags/metadata-tag-keys.ts";
import type { Estate } from "./estate.ts";
import type { AccountDefaultsRepository } from "./ports.ts";

export interface PlannedStateChange {
  readonly instance: Instance;
  readonly transition: StateTransition;
}

export interface InstanceServicePorts {
  readonly estate: Estate;
  readonly defaults: AccountDefaultsRepository;
  /** How long ModifyInstanceMetadataOptions and launches report `pending` before `applied`. */
  readonly optionsApplyDelayMs: number;
}

/** DescribeInstances reports `pending` until the change has had time to reach the instance. */
export function metadataOptionsState(instance: Instance, nowMs: number): OptionsState {
  return instance.optionsPendingUntilMs !== undefined && nowMs < instance.optionsPendingUntilMs ? "pending" : "applied";
}

export class InstanceService {
  constructor(private readonly ports: InstanceServicePorts) {}

  get(instanceId: string): Instance | undefined {
    return this.ports.estate.get(instanceId);
  }

  /** Every instance of every account (the control API and the dashboard list them all). */
  all(): Instance[] {
    return this.ports.estate.list();
  }

  /** The account's instances in the region, in launch order (terminated ones included, as EC2 lists them for a while). */
  inScope(scope: AccountScope): Instance[] {
    return this.ports.estate.list(scope);
  }

  /** The named instances of the account in the region, in request order; every missing id is named. */
  find(scope: AccountScope, ids: readonly string[]): Instance[] {
    const found: Instance[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const instance = this.ports.estate.get(id);
      if (instance === undefined || instance.record.accountId !== scope.accountId || instance.record.region !== scope.region) missing.push(id);
      else found.push(instance);
    }
    if (missing.length > 0) throw instancesNotFound(missing);
    return found;
  }

  /**
   * ModifyInstanceMetadataOptions: unspecified fields keep their value
   * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyInstanceMetadataOptions.html);
   * enforcement refuses only an explicit HttpTokens=optional (docs/behaviour.md#imdsv2-enforcement).
   */
  planMetadataOptionsChange(scope: AccountScope & { nowMs: number }, instanceId: string, change: MetadataOptionsInput): Instance {
    const [instance] = this.find(scope, [instanceId]) as [Instance];
    const { record } = instance;
    if (isTerminated(record.state)) throw incorrectInstanceState(instanceId, "modified");
    assertModificationAllowed(this.ports.defaults.accountDefaults(scope.accountId, scope.region), change);
    if (change.instanceMetadataTags === "enabled") assertTagKeysAllowedInMetadata(record.tags);
    return {
      ...instance,
      record: { ...record, metadataOptions: applyModification(record.metadataOptions, change) },
      optionSources: recordSources(change, { level: "modified-after-launch", via: "ec2-api", atMs: scope.nowMs }, instance.optionSources),
      optionsPendingUntilMs: scope.nowMs + this.ports.optionsApplyDelayMs,
    };
  }

  async save(instance: Instance): Promise<void> {
    await this.ports.estate.save(instance);
  }

  /** Every instance is checked before any changes: one refused instance fails the whole call. */
  planStateChange(scope: AccountScope, ids: readonly string[], operation: StateOperation): PlannedStateChange[] {
    return this.find(scope, ids).map((instance) => {
      const transition = transitionFor(instance.record.instanceId, instance.record.state, operation);
      return { instance: { ...instance, record: { ...instance.record, state: transition.stored } }, transition };
    });
  }

  /** Sets only the state on the instance as stored now, so a change saved meanwhile is not undone. */
  async applyStateChange(changes: readonly PlannedStateChange[]): Promise<void> {
    for (const { instance, transition } of changes) {
      if (transition.previous === transition.stored) continue;
      const current = this.ports.estate.get(instance.record.instanceId) ?? instance;
      await this.ports.estate.save({ ...current, record: { ...current.record, state: transition.stored } });
    }
  }
}
