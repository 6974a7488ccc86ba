import type { Clock } from "../platform/clock.ts";

/** One-shot timers, injected so schedulers run on a manual clock in tests (no sleeps). */
export interface Timers {
  set(run: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

/** setTimeout caps delays at 2^31-1 ms; longer waits fire early and the scheduler re-arms. */
const MAX_DELAY_MS = 2_147_483_647;

export const systemTimers: Timers = {
  set(run, delayMs) {
    const timer = setTimeout(run, Math.min(Math.max(0, delayMs), MAX_DELAY_MS));
    // Scheduled events must not keep a finished process alive.
    timer.unref();
    return timer;
  },
  clear(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Timers on a ManualClock: `advance` moves the clock and runs what fell due, in time order. */
export class ManualTimers implements Timers {
  private readonly pending = new Map<number, { dueMs: number; run: () => void }>();
  private nextId = 1;

  constructor(private readonly clock: Clock & { set(ms: number): void }) {}

  set(run: () => void, delayMs: number): number {
    const id = this.nextId++;
    this.pending.set(id, { dueMs: this.clock.nowMs() + Math.max(0, delayMs), run });
    return id;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Runs every timer due by now + ms (bounded, so a timer that re-arms at once cannot loop forever). */
  advance(ms: number): void {
    const target = this.clock.nowMs() + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      let due: [number, { dueMs: number; run: () => void }] | undefined;
      for (const entry of this.pending) if (entry[1].dueMs <= target && (due === undefined || entry[1].dueMs < due[1].dueMs)) due = entry;
      if (due === undefined) break;
      this.pending.delete(due[0]);
      if (due[1].dueMs > this.clock.nowMs()) this.clock.set(due[1].dueMs);
      due[1].run();
    }
    this.clock.set(target);
  }
}
