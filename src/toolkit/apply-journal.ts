/**
 * The apply journal: which plan steps ran and what they replaced, written after every change so
 * an interrupted apply resumes where it stopped and `rollback` needs nothing but this file.
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { AccountDefaultsSnapshot } from "../domain/migration/inventory.ts";
import type { MigrationPlan, PlanStep } from "../domain/migration/plan-steps.ts";

/** What a step replaced: enough to put it back. */
export type PreviousState =
  | { readonly kind: "instance"; readonly httpTokens: string; readonly httpPutResponseHopLimit: number }
  | { readonly kind: "account-defaults"; readonly defaults: AccountDefaultsSnapshot }
  | { readonly kind: "launch-template"; readonly defaultVersion: number; readonly latestVersion: number }
  | { readonly kind: "image"; readonly imdsSupport: string | null };

export type EntryStatus = "started" | "done" | "unchanged" | "acknowledged" | "skipped" | "failed" | "rolled-back" | "rollback-failed";

export interface JournalEntry {
  readonly step: PlanStep;
  status: EntryStatus;
  previous?: PreviousState;
  /** Launch template versions this step created, by the version they were copied from. */
  created?: { fromDefault?: number; fromLatest?: number; defaultSet?: boolean };
  error?: string;
  /** Why the step is done although apply did not run it, e.g. an endpoint that executed its DryRun. */
  note?: string;
  at: string;
}

export interface ApplyJournal {
  readonly kind: "imds-lab/apply-journal";
  readonly version: 1;
  readonly planId: string;
  readonly endpoint?: string;
  readonly createdAt: string;
  entries: JournalEntry[];
}

/** Statuses after which apply does not run the step again. */
export const SETTLED: ReadonlySet<EntryStatus> = new Set(["done", "unchanged", "acknowledged", "skipped"]);

export function newJournal(plan: MigrationPlan, endpoint: string | undefined, nowIso: string): ApplyJournal {
  return { kind: "imds-lab/apply-journal", version: 1, planId: plan.id, ...(endpoint !== undefined ? { endpoint } : {}), createdAt: nowIso, entries: [] };
}

export function entryFor(journal: ApplyJournal, stepId: string): JournalEntry | undefined {
  return journal.entries.find((e) => e.step.id === stepId);
}

/** Creates or updates the step's entry (kept in plan order). */
export function record(journal: ApplyJournal, step: PlanStep, fields: Partial<JournalEntry> & { status: EntryStatus }, nowIso: string): JournalEntry {
  let entry = entryFor(journal, step.id);
  if (entry === undefined) {
    entry = { step, status: fields.status, at: nowIso };
    journal.entries.push(entry);
    journal.entries.sort((a, b) => a.step.order - b.step.order);
  }
  Object.assign(entry, fields, { at: nowIso });
  if (fields.status !== "failed" && fields.status !== "rollback-failed") delete entry.error;
  return entry;
}

export function readJournal(path: string): ApplyJournal | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const value = JSON.parse(text) as ApplyJournal;
  if (value.kind !== "imds-lab/apply-journal" || value.version !== 1) throw new Error(`${path} is not an imds-lab apply journal`);
  return value;
}

/** Write-then-rename, so a crash leaves the previous journal or the new one, never half of one. */
export function writeJournal(path: string, journal: ApplyJournal): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(journal, null, 2)}\n`);
  renameSync(temporary, path);
}
