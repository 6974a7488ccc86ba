/** What the toolkit's commands share: reading documents, writing output, the target's identity. */
import { readFileSync, writeFileSync } from "node:fs";
import type { AuditResult } from "../domain/migration/audit-findings.ts";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import type { MigrationPlan } from "../domain/migration/plan-steps.ts";
import { adminAuthHeaders } from "../api/admin-credential.ts";

export const DEFAULT_EMULATOR_URL = "http://127.0.0.1:4566";

/** Exit codes CI can gate on. */
export const EXIT = { ok: 0, gate: 1, error: 2 } as const;

export class ToolkitError extends Error {}

export interface AuditDocument extends AuditResult {
  readonly kind: "imds-lab/audit";
  readonly version: 1;
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "0.0.0";
}

/** The Region asked for account-wide facts (DescribeRegions), as the SDKs pick one. */
export function homeRegion(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
}

export function readJsonFile<T>(path: string, kind: string): T {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ToolkitError(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (kind !== "" && (value as { kind?: string })?.kind !== kind) throw new ToolkitError(`${path} is not an ${kind} document`);
  return value as T;
}

export function readAudit(path: string): AuditDocument {
  return readJsonFile<AuditDocument>(path, "imds-lab/audit");
}

export function readPlan(path: string): MigrationPlan {
  return readJsonFile<MigrationPlan>(path, "imds-lab/migration-plan");
}

/** A report from a file written by `report --json`, or fetched from a running emulator's URL. */
export async function loadReport(source: string): Promise<CallerReport> {
  if (/^https?:\/\//.test(source)) return fetchReport(source);
  const report = readJsonFile<CallerReport>(source, "");
  if (!Array.isArray(report.instances)) throw new ToolkitError(`${source} is not a caller report (imds-lab report --json)`);
  return report;
}

export async function fetchReport(endpoint: string): Promise<CallerReport> {
  const url = new URL("/_imds-lab/report", endpoint);
  let response: Response;
  try {
    response = await fetch(url, { headers: adminAuthHeaders() });
  } catch (err) {
    throw new ToolkitError(`cannot reach ${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new ToolkitError(`${url} answered ${response.status} (is it imds-lab?)`);
  return (await response.json()) as CallerReport;
}

/** To a file when asked, else stdout; always ending in a newline. */
export function writeOutput(text: string, file: string | undefined): void {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (file !== undefined) writeFileSync(file, body);
  else process.stdout.write(body);
}

/**
 * Runs a command's body; any failure (a bad file, missing credentials, an endpoint that refuses)
 * becomes one line on stderr and exit code 2, so 1 keeps meaning "the gate failed".
 */
export async function runCommand(body: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await body();
  } catch (err) {
    const e = err as Error;
    const prefix = err instanceof ToolkitError ? "" : `${e?.name ?? "Error"}: `;
    process.stderr.write(`imds-lab: ${prefix}${e?.message ?? String(err)}\n`);
    if (process.env.IMDS_LAB_DEBUG === "1" && e?.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = EXIT.error;
  }
}
