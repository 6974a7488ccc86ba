/**
 * A cli-progress bar on stderr, so stdout stays clean for JSON/SARIF. Without a TTY (CI logs)
 * cli-progress's noTTY mode prints a line every few seconds instead of redrawing.
 */
import cliProgress from "cli-progress";
import type { Progress } from "../apply-plan.ts";

export function progressBar(options: { enabled: boolean; stream?: NodeJS.WriteStream; scheduleMs?: number }): Progress {
  if (!options.enabled) return { start: () => undefined, tick: () => undefined, stop: () => undefined };
  const stream = options.stream ?? process.stderr;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, label) {
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(18)} [{bar}] {value}/{total} {item}`,
          noTTYOutput: !stream.isTTY,
          notTTYSchedule: options.scheduleMs ?? 2000,
          hideCursor: stream.isTTY === true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { item: "" });
    },
    tick(item) {
      bar?.increment(1, { item });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
