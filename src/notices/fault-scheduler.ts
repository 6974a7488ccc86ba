import { positionAt, validateFaultScript, type FaultScript, type FaultSpec } from "../domain/faults/fault-script.ts";
import { newFaultStats, type FaultStats } from "../imds/active-fault.ts";
import type { Clock } from "../platform/clock.ts";
import type { Timers } from "./timers.ts";

export interface FaultSchedulerDeps {
  readonly clock: Clock;
  readonly timers: Timers;
  /** Puts the fault in force on the instance's endpoint (ImdsHost.setFault). */
  apply(instanceId: string, fault: FaultSpec | null, stats: FaultStats): Promise<void>;
  onError?(err: unknown): void;
}

interface RunningScript {
  readonly script: FaultScript;
  readonly startedAtMs: number;
  index: number;
  fault: FaultSpec | null;
  timer: unknown;
  /** Counted across all steps of this script, so they stay readable after it finished. */
  readonly stats: FaultStats;
}

export interface FaultView {
  readonly instanceId: string;
  readonly script: FaultScript;
  readonly startedAt: string;
  /** The step in force; equals steps.length once a finite script has run out. */
  readonly step: number;
  readonly fault: FaultSpec | null;
  readonly stats: FaultStats;
}

/** Runs each instance's fault script step by step on the injected clock; one script per instance. */
export class FaultScheduler {
  private readonly running = new Map<string, RunningScript>();

  constructor(private readonly deps: FaultSchedulerDeps) {}

  /** Replaces the instance's script; the first step is in force when this resolves. */
  async set(instanceId: string, script: FaultScript): Promise<FaultView> {
    validateFaultScript(script);
    this.stop(instanceId);
    const run: RunningScript = { script, startedAtMs: this.deps.clock.nowMs(), index: -1, fault: null, timer: null, stats: newFaultStats() };
    this.running.set(instanceId, run);
    await this.advance(instanceId, run);
    return this.view(instanceId, run);
  }

  async clear(instanceId: string): Promise<boolean> {
    const had = this.running.has(instanceId);
    this.stop(instanceId);
    await this.deps.apply(instanceId, null, newFaultStats());
    return had;
  }

  list(instanceId?: string): FaultView[] {
    return [...this.running.entries()].filter(([id]) => instanceId === undefined || id === instanceId).map(([id, run]) => this.view(id, run));
  }

  close(): void {
    for (const id of [...this.running.keys()]) this.stop(id);
  }

  private stop(instanceId: string): void {
    const run = this.running.get(instanceId);
    if (run === undefined) return;
    if (run.timer !== null) this.deps.timers.clear(run.timer);
    this.running.delete(instanceId);
  }

  private async advance(instanceId: string, run: RunningScript): Promise<void> {
    run.timer = null;
    const now = this.deps.clock.nowMs();
    const position = positionAt(run.script, now - run.startedAtMs);
    if (position.index !== run.index || position.fault !== run.fault) {
      run.index = position.index;
      run.fault = position.fault;
      await this.deps.apply(instanceId, position.fault, run.stats);
    }
    // A newer script replaced this one while the fault was being applied.
    if (this.running.get(instanceId) !== run) return;
    if (position.nextChangeAtMs === null) {
      // A finished script leaves nothing in force; its record stays for GET until cleared or replaced.
      return;
    }
    run.timer = this.deps.timers.set(() => {
      this.advance(instanceId, run).catch((err: unknown) => this.deps.onError?.(err));
    }, run.startedAtMs + position.nextChangeAtMs - now);
  }

  private view(instanceId: string, run: RunningScript): FaultView {
    return {
      instanceId,
      script: run.script,
      startedAt: new Date(run.startedAtMs).toISOString(),
      step: run.index,
      fault: run.fault,
      stats: run.stats,
    };
  }
}
