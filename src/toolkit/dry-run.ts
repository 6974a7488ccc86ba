/** The DryRun convention of EC2 and the result types shared by the step runners. */
import type { JournalEntry, PreviousState } from "./apply-journal.ts";
import { errorCode } from "./error-code.ts";

/** Persists the entry after a partial change (a created template version) before going on. */
export type SaveProgress = (fields: Partial<JournalEntry>) => void;

export type ApplyResult = { readonly status: "done" | "unchanged"; readonly previous: PreviousState | undefined };
export type RollbackResult = "rolled-back" | "irreversible" | "nothing-to-undo";

export class DryRunError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a call sent with DryRun=true; anything but DryRunOperation is a failure the real call would meet. */
export async function dryRun(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (err) {
    if (errorCode(err) === "DryRunOperation") return;
    throw new DryRunError(errorCode(err), (err as Error).message);
  }
  throw new DryRunError("DryRunIgnored", "the endpoint executed a DryRun request instead of checking it");
}

/**
 * The endpoint ran a DryRun request for real (moto does for ModifyInstanceMetadataOptions): the
 * step's change happened. `previous` is what the step replaced, read just before the DryRun, so
 * the journal can record the step as done and `rollback` can undo it.
 */
export class DryRunExecuted extends Error {
  constructor(
    readonly previous: PreviousState | undefined,
    /** What changed, e.g. "HttpTokens optional -> required"; empty when nothing did. */
    readonly changes: readonly string[],
  ) {
    super(changes.length > 0 ? `the endpoint executed the DryRun request: ${changes.join(", ")}` : "the endpoint executed the DryRun request (nothing differed)");
  }
}
