/**
 * The audit's rules as data: identifier, severity and the AWS documentation each one follows.
 * Severities follow the effect on an IMDSv2 migration: high = IMDSv1 reachable now, medium = new
 * resources get IMDSv1 or break, low = hardening, info = worth knowing.
 */

export const SEVERITIES = ["info", "low", "medium", "high"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type RuleId =
  | "instance-imdsv1-allowed"
  | "instance-hop-limit-container-host"
  | "instance-tags-in-metadata-off"
  | "launch-template-imdsv1-allowed"
  | "image-imds-support-unset"
  | "account-default-imdsv1"
  | "account-enforcement-off"
  | "observed-imdsv1-caller"
  | "observed-imdsv1-rejected"
  | "audit-incomplete";

export interface RuleInfo {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly title: string;
  readonly remediation: string;
  readonly helpUri: string;
}

const UG = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide";

export const RULES: Readonly<Record<RuleId, RuleInfo>> = {
  "instance-imdsv1-allowed": {
    id: "instance-imdsv1-allowed",
    severity: "high",
    title: "IMDSv1 allowed on an instance",
    remediation: "ModifyInstanceMetadataOptions HttpTokens=required once no caller uses IMDSv1",
    helpUri: `${UG}/configuring-IMDS-existing-instances.html`,
  },
  "instance-hop-limit-container-host": {
    id: "instance-hop-limit-container-host",
    severity: "medium",
    title: "Hop limit 1 on a container host",
    remediation: "HttpPutResponseHopLimit=2, or containers cannot get a token and fall back to IMDSv1 (then fail once IMDSv2 is required)",
    helpUri: `${UG}/instance-metadata-v2-how-it-works.html`,
  },
  "instance-tags-in-metadata-off": {
    id: "instance-tags-in-metadata-off",
    severity: "info",
    title: "Tags in instance metadata off",
    remediation: "InstanceMetadataTags=enabled if workloads read their tags from IMDS instead of DescribeTags",
    helpUri: `${UG}/work-with-tags-in-IMDS.html`,
  },
  "launch-template-imdsv1-allowed": {
    id: "launch-template-imdsv1-allowed",
    severity: "high",
    title: "Launch template launches instances with IMDSv1",
    remediation: "a new version with MetadataOptions HttpTokens=required, made the default",
    helpUri: `${UG}/configuring-IMDS-new-instances.html`,
  },
  "image-imds-support-unset": {
    id: "image-imds-support-unset",
    severity: "medium",
    title: "AMI without ImdsSupport=v2.0",
    remediation: "ModifyImageAttribute ImdsSupport=v2.0 (cannot be undone)",
    helpUri: `${UG}/configuring-IMDS-new-instances.html`,
  },
  "account-default-imdsv1": {
    id: "account-default-imdsv1",
    severity: "medium",
    title: "Account default does not require IMDSv2",
    remediation: "ModifyInstanceMetadataDefaults HttpTokens=required",
    helpUri: `${UG}/configuring-instance-metadata-options.html`,
  },
  "account-enforcement-off": {
    id: "account-enforcement-off",
    severity: "low",
    title: "IMDSv2 enforcement off",
    remediation: "ModifyInstanceMetadataDefaults HttpTokensEnforced=enabled once every template requires IMDSv2",
    helpUri: `${UG}/configuring-instance-metadata-options.html`,
  },
  "observed-imdsv1-caller": {
    id: "observed-imdsv1-caller",
    severity: "high",
    title: "A process uses IMDSv1",
    remediation: "update the caller (a current AWS SDK uses IMDSv2) before requiring IMDSv2",
    helpUri: `${UG}/instance-metadata-transition-to-version-2.html`,
  },
  "observed-imdsv1-rejected": {
    id: "observed-imdsv1-rejected",
    severity: "medium",
    title: "IMDSv1 calls are being rejected",
    remediation: "a caller still tries IMDSv1 where IMDSv2 is required (MetadataNoTokenRejected): update it",
    helpUri: `${UG}/viewing_metrics_with_cloudwatch.html`,
  },
  "audit-incomplete": {
    id: "audit-incomplete",
    severity: "medium",
    title: "Part of a Region could not be read",
    remediation: "grant the read-only permissions the audit needs (ec2:Describe*, ec2:GetInstanceMetadataDefaults)",
    helpUri: `${UG}/configuring-instance-metadata-options.html`,
  },
};

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
