/** The plan's data model: ordered steps, each an action the apply command knows how to run and undo. */

export const PHASES = ["callers", "images", "account-defaults", "launch-templates", "instances", "enforcement"] as const;
export type Phase = (typeof PHASES)[number];

export type StepAction =
  /** Manual: a person updates the caller; apply only records the acknowledgement. */
  | { readonly kind: "fix-caller"; readonly instanceId: string; readonly caller: string; readonly paths: readonly string[] }
  /** ModifyImageAttribute ImdsSupport=v2.0: EC2 offers no way back. */
  | { readonly kind: "set-image-imds-support"; readonly imageId: string }
  | { readonly kind: "set-account-defaults"; readonly httpTokens: "required" }
  /** New version(s) from $Default (and $Latest when it differs) with HttpTokens=required, made the default. */
  | { readonly kind: "require-v2-launch-template"; readonly templateId: string; readonly templateName: string; readonly httpPutResponseHopLimit?: number }
  | { readonly kind: "require-v2-instance"; readonly instanceId: string; readonly httpPutResponseHopLimit?: number }
  | { readonly kind: "enforce-imdsv2" }
  /** Manual: the Region's defaults are held by a declarative policy, which the account cannot change. */
  | { readonly kind: "change-declarative-policy" };

export interface PlanStep {
  /** Stable: phase, Region and resource. The journal keys on it. */
  readonly id: string;
  readonly order: number;
  readonly phase: Phase;
  readonly region: string;
  readonly resourceId: string;
  readonly title: string;
  readonly action: StepAction;
  readonly manual: boolean;
  readonly reversible: boolean;
  readonly awsCli: readonly string[];
  /** The findings this step resolves. */
  readonly findings: readonly string[];
  readonly notes: readonly string[];
  readonly dependsOn: readonly string[];
}

export interface MigrationPlan {
  readonly kind: "imds-lab/migration-plan";
  readonly version: 1;
  /** A digest of the steps: a journal belongs to exactly one plan. */
  readonly id: string;
  readonly generatedAt: string;
  readonly source: {
    readonly endpoint?: string;
    readonly accountId?: string;
    readonly auditGeneratedAt: string;
    readonly reportGeneratedAt?: string;
  };
  /** Steps that cannot be undone, listed before anything runs. */
  readonly irreversible: readonly string[];
  readonly steps: readonly PlanStep[];
}

/** FNV-1a (64-bit) of a string, as 16 hex digits: a digest without node:crypto in the domain. */
export function digest(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}
