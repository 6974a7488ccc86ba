/**
 * Executes a migration plan: refuses up front what needs a decision (irreversible steps, manual
 * steps), DryRuns every remaining step before changing anything, then runs them in order,
 * journalling each before and after, and stops at the first failure so a rerun resumes there.
 */
import type { MigrationPlan, PlanStep } from "../domain/migration/plan-steps.ts";
import { entryFor, record, SETTLED, type ApplyJournal, type EntryStatus, type JournalEntry } from "./apply-journal.ts";
import { DryRunError, DryRunExecuted } from "./dry-run.ts";
import { errorCode } from "./error-code.ts";
import type { StepExecutor } from "./step-executor.ts";

export interface Progress {
  start(total: number, label: string): void;
  tick(label: string): void;
  stop(): void;
}

export const NO_PROGRESS: Progress = { start: () => undefined, tick: () => undefined, stop: () => undefined };

export interface ApplyOptions {
  readonly plan: MigrationPlan;
  readonly journal: ApplyJournal;
  readonly save: (journal: ApplyJournal) => void;
  readonly executor: Pick<StepExecutor, "dryRun" | "apply">;
  readonly nowIso: () => string;
  readonly allowIrreversible?: boolean;
  readonly skipIrreversible?: boolean;
  readonly acknowledgeManual?: boolean;
  readonly dryRunOnly?: boolean;
  readonly progress?: Progress;
}

/** Apply would not start: the reasons and the steps they concern. Nothing was changed. */
export class ApplyRefused extends Error {
  constructor(
    message: string,
    readonly steps: readonly { id: string; title: string; reason: string }[],
  ) {
    super(message);
  }
}

/** A step the endpoint changed while asked only to check it (its DryRun was executed). */
export interface ExecutedByDryRun {
  readonly stepId: string;
  readonly title: string;
  readonly changes: readonly string[];
}

export interface ApplyOutcome {
  readonly dryRunOnly: boolean;
  /** Set when the endpoint executed a DryRun: apply stopped there; the step is journalled as done. */
  readonly executedByDryRun?: readonly ExecutedByDryRun[];
  readonly counts: Readonly<Partial<Record<EntryStatus, number>>>;
  readonly failed?: { readonly stepId: string; readonly code: string; readonly message: string };
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyOutcome> {
  const { plan, journal, save, executor, nowIso } = options;
  const progress = options.progress ?? NO_PROGRESS;
  if (journal.planId !== plan.id) throw new ApplyRefused(`the journal belongs to plan ${journal.planId}, not ${plan.id}`, []);
  const pending = plan.steps.filter((s) => !SETTLED.has(entryFor(journal, s.id)?.status ?? "started"));

  const irreversible = pending.filter((s) => !s.reversible);
  if (irreversible.length > 0 && !options.allowIrreversible && !options.skipIrreversible) {
    throw new ApplyRefused(
      "the plan has steps that cannot be undone: pass --allow-irreversible to run them or --skip-irreversible to leave them",
      irreversible.map((s) => ({ id: s.id, title: s.title, reason: "irreversible" })),
    );
  }
  const manual = pending.filter((s) => s.manual);
  if (manual.length > 0 && !options.acknowledgeManual) {
    throw new ApplyRefused(
      "the plan has manual steps (update these callers first; later steps make their IMDSv1 calls fail): pass --acknowledge-manual once done",
      manual.map((s) => ({ id: s.id, title: s.title, reason: "manual" })),
    );
  }
  const runnable = pending.filter((s) => !s.manual && !(options.skipIrreversible && !s.reversible));

  // Every change is checked before the first is made.
  progress.start(runnable.length, "dry run");
  const refusals: { id: string; title: string; reason: string }[] = [];
  for (const step of runnable) {
    try {
      await executor.dryRun(step);
    } catch (err) {
      if (err instanceof DryRunExecuted) {
        // The change happened: journal it with what it replaced, so `rollback` can undo it, and
        // stop, because every further DryRun against this endpoint would change something too.
        const status = err.changes.length > 0 || err.previous === undefined ? "done" : "unchanged";
        record(journal, step, { status, ...(err.previous ? { previous: err.previous } : {}), note: err.message }, nowIso());
        save(journal);
        progress.stop();
        return {
          dryRunOnly: options.dryRunOnly === true,
          executedByDryRun: [{ stepId: step.id, title: step.title, changes: err.changes }],
          counts: countStatuses(journal, plan.steps),
        };
      }
      refusals.push({ id: step.id, title: step.title, reason: err instanceof DryRunError ? `${err.code}: ${err.message}` : `${errorCode(err)}: ${(err as Error).message}` });
    }
    progress.tick(step.id);
  }
  progress.stop();
  if (refusals.length > 0) throw new ApplyRefused(`the dry run failed for ${refusals.length} step(s); nothing was changed`, refusals);
  if (options.dryRunOnly) return { dryRunOnly: true, counts: {} };

  progress.start(pending.length, "apply");
  let failed: ApplyOutcome["failed"];
  for (const step of pending) {
    const existing = entryFor(journal, step.id);
    if (step.manual) {
      record(journal, step, { status: "acknowledged" }, nowIso());
    } else if (options.skipIrreversible && !step.reversible) {
      record(journal, step, { status: "skipped" }, nowIso());
    } else {
      const entry = record(journal, step, { status: "started" }, nowIso());
      save(journal);
      try {
        const result = await executor.apply(step, existing, (fields) => {
          Object.assign(entry, fields);
          save(journal);
        });
        record(journal, step, { status: result.status, ...(result.previous ? { previous: result.previous } : {}) }, nowIso());
      } catch (err) {
        failed = { stepId: step.id, code: errorCode(err), message: (err as Error).message };
        record(journal, step, { status: "failed", error: `${failed.code}: ${failed.message}` }, nowIso());
      }
    }
    save(journal);
    progress.tick(step.id);
    if (failed !== undefined) break;
  }
  progress.stop();
  return { dryRunOnly: false, counts: countStatuses(journal, plan.steps), ...(failed !== undefined ? { failed } : {}) };
}

export function countStatuses(journal: ApplyJournal, steps: readonly PlanStep[]): Partial<Record<EntryStatus, number>> {
  const counts: Partial<Record<EntryStatus, number>> = {};
  for (const step of steps) {
    const status: EntryStatus | "pending" = entryFor(journal, step.id)?.status ?? "pending";
    if (status !== "pending") counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

export interface RollbackOptions {
  readonly journal: ApplyJournal;
  readonly save: (journal: ApplyJournal) => void;
  readonly executor: Pick<StepExecutor, "dryRunRollback" | "rollback">;
  readonly nowIso: () => string;
  readonly dryRunOnly?: boolean;
  readonly progress?: Progress;
}

export interface RollbackOutcome {
  readonly rolledBack: readonly string[];
  readonly irreversible: readonly string[];
  readonly failed?: { readonly stepId: string; readonly code: string; readonly message: string };
}

/** Undoes, newest first, every step that changed something; AMI ImdsSupport stays (EC2 has no undo). */
export async function rollbackJournal(options: RollbackOptions): Promise<RollbackOutcome> {
  const { journal, save, executor, nowIso } = options;
  const progress = options.progress ?? NO_PROGRESS;
  const candidates: JournalEntry[] = journal.entries
    .filter((e) => e.status === "done" || e.status === "failed" || e.status === "started" || e.status === "rollback-failed")
    .sort((a, b) => b.step.order - a.step.order);
  const irreversible = candidates.filter((e) => !e.step.reversible).map((e) => e.step.id);
  const undoable = candidates.filter((e) => e.step.reversible);
  // While HttpTokensEnforced is on, EC2 refuses to put an instance back to optional; the
  // enforcement undo runs first, so those instances are checked again right before their undo.
  const enforced = new Set(undoable.filter((e) => e.step.action.kind === "enforce-imdsv2").map((e) => e.step.region));
  const deferred = new Set<JournalEntry>();
  progress.start(undoable.length, "rollback dry run");
  const refusals: { id: string; title: string; reason: string }[] = [];
  for (const entry of undoable) {
    try {
      await executor.dryRunRollback(entry);
    } catch (err) {
      // An endpoint that executes DryRuns has just undone the step; the rollback below sets the same values again.
      if (err instanceof DryRunError && err.code === "DryRunIgnored") {
        progress.tick(entry.step.id);
        continue;
      }
      if (entry.step.action.kind === "require-v2-instance" && enforced.has(entry.step.region)) deferred.add(entry);
      else refusals.push({ id: entry.step.id, title: entry.step.title, reason: err instanceof DryRunError ? `${err.code}: ${err.message}` : String(err) });
    }
    progress.tick(entry.step.id);
  }
  progress.stop();
  if (refusals.length > 0) throw new ApplyRefused(`the rollback dry run failed for ${refusals.length} step(s); nothing was changed`, refusals);
  if (options.dryRunOnly) return { rolledBack: [], irreversible };
  const rolledBack: string[] = [];
  progress.start(undoable.length, "rollback");
  for (const entry of undoable) {
    try {
      if (deferred.has(entry)) await executor.dryRunRollback(entry);
      const result = await executor.rollback(entry);
      record(journal, entry.step, { status: "rolled-back" }, nowIso());
      if (result === "rolled-back") rolledBack.push(entry.step.id);
    } catch (err) {
      record(journal, entry.step, { status: "rollback-failed", error: `${errorCode(err)}: ${(err as Error).message}` }, nowIso());
      save(journal);
      progress.stop();
      return { rolledBack, irreversible, failed: { stepId: entry.step.id, code: errorCode(err), message: (err as Error).message } };
    }
    save(journal);
    progress.tick(entry.step.id);
  }
  progress.stop();
  return { rolledBack, irreversible };
}
