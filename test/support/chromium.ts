import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

/** Debian's chromium (`.ci/run` installs it); playwright's own browser downloads are never used. */
export function findChromium(): string | null {
  try {
    const path = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
    return path === "" ? null : path;
  } catch {
    return null;
  }
}

export interface LaunchedChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless chromium with a fresh profile, no background network and no first-run UI. Playwright
 * takes the profile as launchPersistentContext's directory (it refuses --user-data-dir in args).
 */
export async function launchChromium(executablePath: string, viewport = { width: 1440, height: 900 }): Promise<LaunchedChromium> {
  const profile = mkdtempSync(join(tmpdir(), "imds-lab-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
