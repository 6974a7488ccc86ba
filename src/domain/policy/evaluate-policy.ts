/**
 * Policy evaluation as IAM documents it ("Policy evaluation logic"), for the two policy types the
 * emulator models, identity-based policies and service control policies:
 *
 * 1. An explicit Deny in any applicable policy denies.
 * 2. SCPs are a ceiling: unless some SCP allows the action, it is denied (AWS attaches
 *    FullAWSAccess by default; the governance layer adds it unless told not to).
 * 3. Unless some identity-based policy allows it, it is denied (implicit deny).
 *
 * A statement applies when its Action (or NotAction), its Resource (or NotResource) and all its
 * conditions match the request.
 */
import { conditionMatches, type ContextValues } from "./condition-operators.ts";
import type { Policy, PolicyStatement } from "./policy-document.ts";

/** One action on one resource, with its request context keys. */
export interface AuthorizationRequest {
  /** `service:Action`, e.g. `ec2:RunInstances`. */
  readonly action: string;
  readonly resource: string;
  readonly context: ContextValues;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
export type PolicyType = "identity" | "scp";

export interface MatchedStatement {
  readonly policyType: PolicyType;
  readonly policyName: string;
  readonly statement: PolicyStatement;
}

export interface PolicySetResult {
  readonly decision: Decision;
  /** The statements that applied: every Deny that applied, or the Allows when nothing denied. */
  readonly matched: readonly MatchedStatement[];
}

export function statementApplies(statement: PolicyStatement, request: AuthorizationRequest): boolean {
  const actionMatches = statement.actions
    ? statement.actions.some((m) => m.test(request.action))
    : !statement.notActions!.some((m) => m.test(request.action));
  if (!actionMatches) return false;
  const resourceMatches = statement.resources
    ? statement.resources.some((m) => m.test(request.resource))
    : !statement.notResources!.some((m) => m.test(request.resource));
  if (!resourceMatches) return false;
  return statement.conditions.every((c) => conditionMatches(c.operator, c.key, c.values, request.context));
}

/** One policy type on its own: any applicable Deny denies, else any applicable Allow allows. */
export function evaluatePolicySet(policies: readonly Policy[], request: AuthorizationRequest, policyType: PolicyType): PolicySetResult {
  const denies: MatchedStatement[] = [];
  const allows: MatchedStatement[] = [];
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!statementApplies(statement, request)) continue;
      (statement.effect === "Deny" ? denies : allows).push({ policyType, policyName: policy.name, statement });
    }
  }
  if (denies.length > 0) return { decision: "ExplicitlyDenied", matched: denies };
  if (allows.length > 0) return { decision: "Allowed", matched: allows };
  return { decision: "ImplicitlyDenied", matched: [] };
}

export interface GovernedPolicies {
  /** The caller's identity-based policies; undefined when the caller is not governed by any. */
  readonly identity: readonly Policy[] | undefined;
  /** The SCPs of the caller's account; undefined when its organization has none. */
  readonly scps: readonly Policy[] | undefined;
}

export interface AuthorizationResult {
  readonly decision: Decision;
  /** Which policy type decided a denial: the one with the explicit Deny, or the one that did not allow. */
  readonly deniedBy: PolicyType | undefined;
  readonly matched: readonly MatchedStatement[];
}

export function authorizeRequest(policies: GovernedPolicies, request: AuthorizationRequest): AuthorizationResult {
  const scp = policies.scps === undefined ? undefined : evaluatePolicySet(policies.scps, request, "scp");
  const identity = policies.identity === undefined ? undefined : evaluatePolicySet(policies.identity, request, "identity");
  // Explicit denies first, SCP before identity: AWS names the SCP when both deny.
  if (scp?.decision === "ExplicitlyDenied") return { decision: "ExplicitlyDenied", deniedBy: "scp", matched: scp.matched };
  if (identity?.decision === "ExplicitlyDenied") return { decision: "ExplicitlyDenied", deniedBy: "identity", matched: identity.matched };
  if (scp?.decision === "ImplicitlyDenied") return { decision: "ImplicitlyDenied", deniedBy: "scp", matched: [] };
  if (identity?.decision === "ImplicitlyDenied") return { decision: "ImplicitlyDenied", deniedBy: "identity", matched: [] };
  return { decision: "Allowed", deniedBy: undefined, matched: [...(scp?.matched ?? []), ...(identity?.matched ?? [])] };
}

/**
 * An operation that touches several resources (RunInstances: the instance, the AMI, the launch
 * template) is allowed only if every resource is allowed; the first denial decides the answer.
 */
export function authorizeAll(
  policies: GovernedPolicies,
  requests: readonly AuthorizationRequest[],
): { result: AuthorizationResult; request: AuthorizationRequest } | undefined {
  let firstImplicit: { result: AuthorizationResult; request: AuthorizationRequest } | undefined;
  for (const request of requests) {
    const result = authorizeRequest(policies, request);
    if (result.decision === "ExplicitlyDenied") return { result, request };
    if (result.decision === "ImplicitlyDenied") firstImplicit ??= { result, request };
  }
  return firstImplicit;
}
