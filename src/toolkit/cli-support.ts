/** What the toolkit's commands share: reading documents, writing output, the target's identity. */
import { readFileSync, writeFileSync } from "node:fs";
import type { AuditResult } from "../domain/migration/audit-findings.ts";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import type { MigrationPlan } from "../domain/migration/plan-steps.ts";
import { adminAuthHeaders } from "../api/admin-credential.ts";
import { ControlClient } from "../api/control-client.ts";

/** A document the toolkit cannot use: unreadable, of the wrong kind, or against another endpoint (exit code 2). */
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

/** The caller report of a running emulator, through the control-API client (its errors are ControlApiErrors). */
export function fetchReport(endpoint: string): Promise<CallerReport> {
  return new ControlClient(endpoint, { headers: adminAuthHeaders() }).report();
}

/** To a file when asked, else stdout; always ending in a newline. */
export function writeOutput(text: string, file: string | undefined): void {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  if (file !== undefined) writeFileSync(file, body);
  else process.stdout.write(body);
}

