/**
 * `audit` end to end: one account (the caller's credentials) or many (`--role-name`, over
 * `--accounts` or the Organization's accounts), accounts x Regions concurrently under one progress
 * bar, each Region's configuration from EC2 and its IMDSv1 evidence from CloudWatch.
 */
import { auditInventory, type AuditResult } from "../domain/migration/audit-findings.ts";
import { combineAccountAudits, type AccountAudit } from "../domain/migration/account-audits.ts";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import type { Inventory } from "../domain/migration/inventory.ts";
import { assumeRoleIn, organizationAccounts, parseAccountList } from "./account-targets.ts";
import type { Progress } from "./apply-plan.ts";
import { homeRegion } from "./cli-support.ts";
import { cloudWatchClientFactory, collectUsageEvidence } from "./cloudwatch-evidence.ts";
import { collectInventory, REGION_STAGES } from "./collect-inventory.ts";
import { ec2ClientFactory, resolveRegions, type AwsTarget } from "./ec2-target.ts";
import { errorCode } from "./error-code.ts";

/** Accounts audited at once; each runs its Regions four at a time (collect-inventory.ts). */
const ACCOUNT_CONCURRENCY = 4;

export interface AuditRunOptions {
  readonly regions: string;
  readonly target: AwsTarget;
  /** Assume this role in each account; without it, the caller's own account only. */
  readonly roleName?: string;
  /** Comma-separated account ids; absent with a role name, the Organization's active accounts. */
  readonly accounts?: string;
  /** CloudWatch's evidence over this window; undefined skips CloudWatch. */
  readonly evidenceWindowMs: number | undefined;
  readonly includeUnusedRegions: boolean;
  readonly report?: CallerReport;
  readonly progress: Progress;
  readonly nowMs: number;
  readonly warn: (line: string) => void;
}

export async function runAudit(options: AuditRunOptions): Promise<AuditResult> {
  const { target, nowMs } = options;
  const { regions, source } = await resolveRegions(options.regions, ec2ClientFactory(target), homeRegion());
  if (source === "built-in") options.warn(`the endpoint has no DescribeRegions; auditing the ${regions.length} built-in Regions`);
  const accounts: (string | undefined)[] =
    options.roleName === undefined ? [undefined] : options.accounts !== undefined ? parseAccountList(options.accounts) : await organizationAccounts(target);
  options.progress.start(accounts.length * regions.length * REGION_STAGES.length, "audit");
  const inventoryOf = async (accountId: string | undefined): Promise<Inventory> => {
    let scoped = target;
    if (accountId !== undefined) {
      try {
        scoped = { ...target, credentials: await assumeRoleIn(target, accountId, options.roleName!) };
      } catch (err) {
        // The account is reported, not skipped: every Region says why it could not be read.
        for (let i = 0; i < regions.length * REGION_STAGES.length; i++) options.progress.tick(`${accountId} AssumeRole`);
        const error = { call: `AssumeRole ${options.roleName}`, code: errorCode(err), message: (err as Error).message ?? String(err) };
        return { generatedAt: new Date(nowMs).toISOString(), accountId, regions: regions.map((region) => ({ region, images: [], launchTemplates: [], instances: [], errors: [error] })) };
      }
    }
    const cloudWatch = cloudWatchClientFactory(scoped);
    const windowMs = options.evidenceWindowMs;
    const inventory = await collectInventory({
      clients: ec2ClientFactory(scoped),
      regions,
      nowMs,
      ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}),
      ...(windowMs !== undefined ? { evidence: (region: string, ids: readonly string[]) => collectUsageEvidence(cloudWatch(region), ids, windowMs, nowMs) } : {}),
      onStage: (region, stage) => options.progress.tick(`${accountId === undefined ? "" : `${accountId} `}${region} ${stage}`),
    });
    return accountId !== undefined ? { ...inventory, accountId } : inventory;
  };
  const inventories: Inventory[] = new Array(accounts.length);
  let next = 0;
  const worker = async () => {
    while (next < accounts.length) {
      const index = next++;
      inventories[index] = await inventoryOf(accounts[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ACCOUNT_CONCURRENCY, accounts.length) }, worker));
  options.progress.stop();
  const auditOptions = { includeUnusedRegions: options.includeUnusedRegions };
  if (options.roleName === undefined) return auditInventory(inventories[0]!, options.report, auditOptions);
  const parts: AccountAudit[] = inventories.map((inventory, i) => ({ accountId: accounts[i]!, audit: auditInventory(inventory, options.report, auditOptions) }));
  return combineAccountAudits(parts, new Date(nowMs).toISOString());
}
