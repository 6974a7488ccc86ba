/**
 * Runs one plan step against EC2: a DryRun first (EC2 answers DryRunOperation when the call would
 * have succeeded), then the change, recording what it replaced; and the undo of a step from what
 * the journal recorded. Launch templates live in launch-template-step.ts.
 */
import {
  DescribeImagesCommand,
  DescribeInstancesCommand,
  GetInstanceMetadataDefaultsCommand,
  ModifyImageAttributeCommand,
  ModifyInstanceMetadataDefaultsCommand,
  ModifyInstanceMetadataOptionsCommand,
  type EC2Client,
  type HttpTokensState,
  type ModifyInstanceMetadataDefaultsCommandInput,
} from "@aws-sdk/client-ec2";
import type { AccountDefaultsSnapshot } from "../domain/migration/inventory.ts";
import type { PlanStep } from "../domain/migration/plan-steps.ts";
import type { JournalEntry, PreviousState } from "./apply-journal.ts";
import type { ClientFactory } from "./ec2-target.ts";
import { dryRun, DryRunError, DryRunExecuted, type ApplyResult, type RollbackResult, type SaveProgress } from "./dry-run.ts";
import { applyTemplateStep, dryRunTemplateStep, rollbackTemplateStep } from "./launch-template-step.ts";

export class StepExecutor {
  constructor(private readonly clients: ClientFactory) {}

  /**
   * The DryRun of a step. The state the step would replace is read first: an endpoint that
   * executes DryRun requests (DryRunIgnored) has then made the change, and `DryRunExecuted`
   * carries what it replaced and what changed.
   */
  async dryRun(step: PlanStep): Promise<void> {
    const before = await this.snapshot(step);
    try {
      await this.dryRunCall(step);
    } catch (err) {
      if (!(err instanceof DryRunError) || err.code !== "DryRunIgnored") throw err;
      if (step.action.kind === "require-v2-launch-template") {
        throw new DryRunExecuted(before, [`${step.resourceId}: a new version with HttpTokens=required may have been created and made the default (check DescribeLaunchTemplateVersions)`]);
      }
      throw new DryRunExecuted(before, changesBetween(step.resourceId, before, await this.snapshot(step)));
    }
  }

  /** What the step would replace, as the journal records it. */
  private async snapshot(step: PlanStep): Promise<PreviousState | undefined> {
    const client = this.clients(step.region);
    const a = step.action;
    switch (a.kind) {
      case "require-v2-instance":
        return this.instanceState(client, a.instanceId);
      case "set-account-defaults":
      case "enforce-imdsv2":
        return { kind: "account-defaults", defaults: await accountDefaults(client) };
      case "set-image-imds-support": {
        const image = (await client.send(new DescribeImagesCommand({ ImageIds: [a.imageId] }))).Images?.[0];
        return { kind: "image", imdsSupport: image?.ImdsSupport ?? null };
      }
      case "require-v2-launch-template":
      case "fix-caller":
      case "change-declarative-policy":
        return undefined;
    }
  }

  private async dryRunCall(step: PlanStep): Promise<void> {
    const client = this.clients(step.region);
    const a = step.action;
    switch (a.kind) {
      case "require-v2-instance":
        return dryRun(() => client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: a.instanceId, ...instanceChange(a.httpPutResponseHopLimit), DryRun: true })));
      case "set-account-defaults":
        return dryRun(() => client.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokens: "required", DryRun: true })));
      case "enforce-imdsv2":
        return dryRun(() => client.send(new ModifyInstanceMetadataDefaultsCommand({ HttpTokensEnforced: "enabled", DryRun: true })));
      case "set-image-imds-support":
        return dryRun(() => client.send(new ModifyImageAttributeCommand({ ImageId: a.imageId, ImdsSupport: { Value: "v2.0" }, DryRun: true })));
      case "require-v2-launch-template":
        return dryRunTemplateStep(client, a);
      case "fix-caller":
      case "change-declarative-policy":
        return;
    }
  }

  /** Makes the change unless the resource is already there; `entry` holds what a resumed run did. */
  async apply(step: PlanStep, entry: JournalEntry | undefined, save: SaveProgress): Promise<ApplyResult> {
    const client = this.clients(step.region);
    const a = step.action;
    switch (a.kind) {
      case "require-v2-instance": {
        const live = await this.instanceState(client, a.instanceId);
        // A resumed step keeps what the first attempt saw: the live state may already be ours.
        const current = entry?.previous ?? live;
        save({ previous: current });
        if (live.kind === "instance" && live.httpTokens === "required" && (a.httpPutResponseHopLimit === undefined || live.httpPutResponseHopLimit >= a.httpPutResponseHopLimit)) {
          return { status: "unchanged", previous: current };
        }
        await client.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: a.instanceId, ...instanceChange(a.httpPutResponseHopLimit) }));
        return { status: "done", previous: current };
      }
      case "set-account-defaults":
      case "enforce-imdsv2": {
        const previous = entry?.previous ?? { kind: "account-defaults" as const, defaults: await accountDefaults(client) };
        save({ previous });
        const live = await accountDefaults(client);
        const already = a.kind === "set-account-defaults" ? live.httpTokens === "required" : live.httpTokensEnforced === "enabled";
        if (already) return { status: "unchanged", previous };
        await client.send(new ModifyInstanceMetadataDefaultsCommand(a.kind === "set-account-defaults" ? { HttpTokens: "required" } : { HttpTokensEnforced: "enabled" }));
        return { status: "done", previous };
      }
      case "set-image-imds-support": {
        const image = (await client.send(new DescribeImagesCommand({ ImageIds: [a.imageId] }))).Images?.[0];
        const previous: PreviousState = { kind: "image", imdsSupport: image?.ImdsSupport ?? null };
        if (image?.ImdsSupport === "v2.0") return { status: "unchanged", previous };
        save({ previous });
        await client.send(new ModifyImageAttributeCommand({ ImageId: a.imageId, ImdsSupport: { Value: "v2.0" } }));
        return { status: "done", previous };
      }
      case "require-v2-launch-template":
        return applyTemplateStep(client, a, entry, save);
      case "fix-caller":
      case "change-declarative-policy":
        return { status: "unchanged", previous: undefined };
    }
  }

  /** The DryRun of an undo, so a rollback also fails before it changes anything. */
  async dryRunRollback(entry: JournalEntry): Promise<void> {
    await this.undo(entry, true);
  }

  async rollback(entry: JournalEntry): Promise<RollbackResult> {
    return this.undo(entry, false);
  }

  private async undo(entry: JournalEntry, check: boolean): Promise<RollbackResult> {
    const step = entry.step;
    const client = this.clients(step.region);
    const previous = entry.previous;
    const send = async (call: () => Promise<unknown>) => (check ? dryRun(call) : void (await call()));
    switch (step.action.kind) {
      case "set-image-imds-support":
        // EC2: ImdsSupport "can't be undone" (RegisterImage / ModifyImageAttribute reference).
        return "irreversible";
      case "fix-caller":
      case "change-declarative-policy":
        return "nothing-to-undo";
      case "require-v2-instance": {
        if (previous?.kind !== "instance") return "nothing-to-undo";
        const instanceId = step.action.instanceId;
        await send(() =>
          client.send(
            new ModifyInstanceMetadataOptionsCommand({
              InstanceId: instanceId,
              HttpTokens: previous.httpTokens as HttpTokensState,
              HttpPutResponseHopLimit: previous.httpPutResponseHopLimit,
              DryRun: check,
            }),
          ),
        );
        return "rolled-back";
      }
      case "set-account-defaults":
      case "enforce-imdsv2": {
        if (previous?.kind !== "account-defaults") return "nothing-to-undo";
        // Only the field the step changed goes back; absent meant "no preference" (GetInstanceMetadataDefaults).
        const change: ModifyInstanceMetadataDefaultsCommandInput =
          step.action.kind === "set-account-defaults"
            ? { HttpTokens: previous.defaults.httpTokens ?? "no-preference" }
            : { HttpTokensEnforced: previous.defaults.httpTokensEnforced ?? "no-preference" };
        await send(() => client.send(new ModifyInstanceMetadataDefaultsCommand({ ...change, DryRun: check })));
        return "rolled-back";
      }
      case "require-v2-launch-template":
        return rollbackTemplateStep(client, step.action, entry, check);
    }
  }

  private async instanceState(client: EC2Client, instanceId: string): Promise<PreviousState> {
    const answer = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    const instance = answer.Reservations?.[0]?.Instances?.[0];
    const m = instance?.MetadataOptions ?? {};
    return { kind: "instance", httpTokens: m.HttpTokens ?? "optional", httpPutResponseHopLimit: m.HttpPutResponseHopLimit ?? 1 };
  }
}

/** Only HttpTokens (and the hop limit when the plan raises it): HttpEndpoint and the rest are kept. */
function instanceChange(hopLimit: number | undefined): { HttpTokens: "required"; HttpPutResponseHopLimit?: number } {
  return { HttpTokens: "required", ...(hopLimit !== undefined ? { HttpPutResponseHopLimit: hopLimit } : {}) };
}

async function accountDefaults(client: EC2Client): Promise<AccountDefaultsSnapshot> {
  const level = (await client.send(new GetInstanceMetadataDefaultsCommand({}))).AccountLevel ?? {};
  return {
    ...(level.HttpTokens !== undefined ? { httpTokens: level.HttpTokens as "optional" | "required" } : {}),
    ...(level.HttpTokensEnforced !== undefined ? { httpTokensEnforced: level.HttpTokensEnforced as "enabled" | "disabled" } : {}),
  };
}

/** "i-…: HttpTokens optional -> required", one entry per field that differs. */
function changesBetween(resource: string, before: PreviousState | undefined, after: PreviousState | undefined): string[] {
  if (before === undefined || after === undefined || before.kind !== after.kind) return [];
  const fields: [string, unknown, unknown][] =
    before.kind === "instance" && after.kind === "instance"
      ? [["HttpTokens", before.httpTokens, after.httpTokens], ["HttpPutResponseHopLimit", before.httpPutResponseHopLimit, after.httpPutResponseHopLimit]]
      : before.kind === "account-defaults" && after.kind === "account-defaults"
        ? [["account default HttpTokens", before.defaults.httpTokens ?? "no-preference", after.defaults.httpTokens ?? "no-preference"], ["HttpTokensEnforced", before.defaults.httpTokensEnforced ?? "no-preference", after.defaults.httpTokensEnforced ?? "no-preference"]]
        : before.kind === "image" && after.kind === "image"
          ? [["ImdsSupport", before.imdsSupport ?? "unset", after.imdsSupport ?? "unset"]]
          : [];
  return fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${resource}: ${name} ${String(a)} -> ${String(b)}`);
}
