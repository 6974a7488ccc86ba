/**
 * AWS's own evidence of IMDSv1 use: the CloudWatch metrics MetadataNoToken (IMDSv1 calls that
 * succeeded) and MetadataNoTokenRejected (IMDSv1 calls refused because IMDSv2 is required), per
 * instance, summed over the audit's window (EC2 User Guide, "Transition to using IMDSv2":
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-transition-to-version-2.html).
 */

export interface ImdsUsageEvidence {
  readonly source: "cloudwatch";
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly noTokenCalls: number;
  readonly rejectedCalls: number;
  /** The start of the last minute with a MetadataNoToken datapoint above zero. */
  readonly lastNoTokenAt?: string;
  readonly lastRejectedAt?: string;
}

/** "14d", "36h", "90m" -> milliseconds; undefined for anything else. */
export function parseWindow(text: string): number | undefined {
  const match = /^(\d+)([dhm])$/.exec(text.trim());
  if (match === null || Number(match[1]) === 0) return undefined;
  const unit = match[2] === "d" ? 86_400_000 : match[2] === "h" ? 3_600_000 : 60_000;
  return Number(match[1]) * unit;
}

/** The window as the audit prints it: "14d" for whole days, else hours. */
export function windowLabel(evidence: ImdsUsageEvidence): string {
  const ms = Date.parse(evidence.windowEnd) - Date.parse(evidence.windowStart);
  return ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : `${Math.round(ms / 3_600_000)}h`;
}

/** What requiring IMDSv2 would do to this instance, by the evidence. */
export function usageVerdict(evidence: ImdsUsageEvidence, callers: readonly string[] = []): string {
  if (evidence.noTokenCalls === 0) return `no IMDSv1 use seen in ${windowLabel(evidence)} — safe to require`;
  const by = callers.length > 0 ? `; callers: ${callers.join(", ")}` : "";
  return `breaks: ${evidence.noTokenCalls} IMDSv1 call(s) in ${windowLabel(evidence)}, last at ${evidence.lastNoTokenAt ?? "?"}${by}`;
}

/** Plan order: instances nobody calls with IMDSv1 first, then by how much IMDSv1 use there is. */
export function usageRank(evidence: ImdsUsageEvidence | undefined): number {
  return evidence === undefined ? Number.MAX_SAFE_INTEGER : evidence.noTokenCalls;
}
