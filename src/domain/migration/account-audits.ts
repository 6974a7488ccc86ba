/**
 * One report over several accounts: each account is audited on its own (the same rules), then
 * findings are tagged with their account, so identical resource names in two accounts (a Region's
 * account defaults) stay apart.
 */
import type { AuditResult, Finding } from "./audit-findings.ts";
import { severityRank } from "./finding-rules.ts";

export interface AccountAudit {
  readonly accountId: string;
  readonly audit: AuditResult;
}

export function combineAccountAudits(parts: readonly AccountAudit[], generatedAt: string): AuditResult {
  const findings: Finding[] = parts
    .flatMap((p) => p.audit.findings.map((f) => ({ ...f, id: `${p.accountId}:${f.id}`, accountId: p.accountId })))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || a.id.localeCompare(b.id));
  const counts = { info: 0, low: 0, medium: 0, high: 0 };
  for (const f of findings) counts[f.severity]++;
  const endpoint = parts.find((p) => p.audit.inventory.endpoint !== undefined)?.audit.inventory.endpoint;
  return {
    inventory: {
      generatedAt,
      ...(endpoint !== undefined ? { endpoint } : {}),
      accounts: parts.map((p) => p.accountId),
      regions: parts.flatMap((p) => p.audit.inventory.regions.map((r) => ({ ...r, accountId: p.accountId }))),
    },
    findings,
    counts,
  };
}
