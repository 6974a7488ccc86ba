/**
 * IAM policy documents (identity policies and SCPs) parsed at the boundary into statements whose
 * matchers are compiled once. The grammar is IAM's ("IAM JSON policy element reference"):
 * `Version`, `Statement` (one object or a list) of `Sid`, `Effect`, `Action`|`NotAction`,
 * `Resource`|`NotResource`, `Condition`. Scalars may be strings or lists; condition values may be
 * strings, numbers or booleans (IAM compares them as strings).
 *
 * Refused, as IAM refuses them, with `MalformedPolicyDocument`: a Principal in an identity policy
 * or SCP, both Action and NotAction, an unknown Effect or condition operator. Policy variables
 * (`${aws:username}`) are not substituted: they are compared literally [emulator limit].
 */
import { DomainError } from "../errors.ts";
import { parseOperator, type ParsedOperator } from "./condition-operators.ts";
import { resourceMatcher, wildcardMatcher, type WildcardMatcher } from "./wildcard.ts";

/** The IAM API's code for a policy it can't accept. */
export const MALFORMED_POLICY_DOCUMENT = "MalformedPolicyDocument";
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);

export type Effect = "Allow" | "Deny";

export interface ConditionClause {
  readonly operator: ParsedOperator;
  readonly key: string;
  readonly values: readonly string[];
}

export interface PolicyStatement {
  /** The Sid, or `<policy name>#<index>` when the statement has none. */
  readonly sid: string;
  readonly hasSid: boolean;
  readonly effect: Effect;
  readonly actions: readonly WildcardMatcher[] | undefined;
  readonly notActions: readonly WildcardMatcher[] | undefined;
  readonly resources: readonly WildcardMatcher[] | undefined;
  readonly notResources: readonly WildcardMatcher[] | undefined;
  readonly conditions: readonly ConditionClause[];
  /** The statement as written, for decoded authorization messages. */
  readonly source: Readonly<Record<string, unknown>>;
}

export interface Policy {
  readonly name: string;
  readonly statements: readonly PolicyStatement[];
  /** The document as given (parsed JSON), for listing and round trips. */
  readonly document: unknown;
}

function malformed(policyName: string, message: string): DomainError {
  return new DomainError(MALFORMED_POLICY_DOCUMENT, `${policyName}: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Element names are case-sensitive in IAM; this reads one that may be absent. */
function stringList(value: unknown, where: string, policyName: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((v) => typeof v !== "string" || v === "")) {
    throw malformed(policyName, `${where} must be a non-empty string or list of strings.`);
  }
  return list as string[];
}

function actionMatcher(pattern: string, where: string, policyName: string): WildcardMatcher {
  // `*`, or `service:action` where the action part may hold wildcards (IAM "Action").
  if (pattern !== "*" && !/^[A-Za-z0-9-]+:[A-Za-z0-9*?]*$/.test(pattern)) {
    throw malformed(policyName, `${where} '${pattern}' is not of the form service:action.`);
  }
  return wildcardMatcher(pattern, { ignoreCase: true });
}

function conditionValues(value: unknown, where: string, policyName: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw malformed(policyName, `${where} must have at least one value.`);
  return list.map((v) => {
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    throw malformed(policyName, `${where} values must be strings, numbers or booleans.`);
  });
}

function parseConditions(value: unknown, where: string, policyName: string): ConditionClause[] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw malformed(policyName, `${where} must be an object of operators.`);
  const clauses: ConditionClause[] = [];
  for (const [operatorName, block] of Object.entries(value)) {
    const operator = parseOperator(operatorName);
    if (operator === undefined) throw malformed(policyName, `${where} uses an unknown or unsupported operator '${operatorName}'.`);
    if (!isRecord(block)) throw malformed(policyName, `${where}.${operatorName} must be an object of condition keys.`);
    for (const [key, values] of Object.entries(block)) {
      clauses.push({ operator, key, values: conditionValues(values, `${where}.${operatorName}.${key}`, policyName) });
    }
  }
  return clauses;
}

function parseStatement(raw: unknown, index: number, policyName: string): PolicyStatement {
  const where = `Statement[${index}]`;
  if (!isRecord(raw)) throw malformed(policyName, `${where} must be an object.`);
  if (raw.Effect !== "Allow" && raw.Effect !== "Deny") throw malformed(policyName, `${where}.Effect must be Allow or Deny.`);
  if (raw.Principal !== undefined || raw.NotPrincipal !== undefined) {
    throw malformed(policyName, `${where}: identity policies and SCPs can't name a Principal.`);
  }
  const actions = stringList(raw.Action, `${where}.Action`, policyName);
  const notActions = stringList(raw.NotAction, `${where}.NotAction`, policyName);
  if ((actions === undefined) === (notActions === undefined)) {
    throw malformed(policyName, `${where} needs exactly one of Action or NotAction.`);
  }
  const resources = stringList(raw.Resource, `${where}.Resource`, policyName);
  const notResources = stringList(raw.NotResource, `${where}.NotResource`, policyName);
  if (resources !== undefined && notResources !== undefined) {
    throw malformed(policyName, `${where} can't have both Resource and NotResource.`);
  }
  const sid = raw.Sid;
  if (sid !== undefined && typeof sid !== "string") throw malformed(policyName, `${where}.Sid must be a string.`);
  return {
    sid: sid ?? `${policyName}#${index}`,
    hasSid: sid !== undefined,
    effect: raw.Effect,
    actions: actions?.map((a) => actionMatcher(a, `${where}.Action`, policyName)),
    notActions: notActions?.map((a) => actionMatcher(a, `${where}.NotAction`, policyName)),
    // SCPs may leave Resource out (it then means "*"); identity policies written for IAM have it.
    resources: resources === undefined && notResources === undefined ? [resourceMatcher("*")] : resources?.map(resourceMatcher),
    notResources: notResources?.map(resourceMatcher),
    conditions: parseConditions(raw.Condition, `${where}.Condition`, policyName),
    source: raw,
  };
}

/** JSON text or a parsed document -> a Policy, or MalformedPolicyDocument naming what is wrong. */
export function parsePolicyDocument(document: unknown, name: string): Policy {
  let root = document;
  if (typeof document === "string") {
    try {
      root = JSON.parse(document);
    } catch (err) {
      throw malformed(name, `not valid JSON: ${(err as Error).message}`);
    }
  }
  if (!isRecord(root)) throw malformed(name, "a policy must be a JSON object.");
  if (root.Version !== undefined && (typeof root.Version !== "string" || !VERSIONS.has(root.Version))) {
    throw malformed(name, `Version must be 2012-10-17 or 2008-10-17.`);
  }
  const raw = root.Statement;
  if (raw === undefined) throw malformed(name, "a policy needs a Statement.");
  const list = Array.isArray(raw) ? raw : [raw];
  return { name, statements: list.map((s, i) => parseStatement(s, i, name)), document: root };
}
