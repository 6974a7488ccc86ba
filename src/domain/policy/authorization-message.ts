/**
 * The parts of a denial the caller sees: EC2's UnauthorizedOperation sentence and the decoded
 * authorization message (what `sts:DecodeAuthorizationMessage` returns), in AWS's shapes:
 *
 *   You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/dev is
 *   not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:123456789012:instance/*
 *   with an explicit deny in a service control policy. Encoded authorization failure message: …
 *
 * (docs/sources.md#ec2-error-codes; the "User: … because …" middle part as EC2 answers today, per the IAM User Guide's
 * "Access denied error messages"). The decoded document follows STS's `allowed`, `explicitDeny`,
 * `matchedStatements`, `failures`, `context` layout with `{"items": [...]}` lists; an `imdsLab`
 * member adds which policy decided and why, in words.
 */
import { lookupContext } from "./condition-operators.ts";
import type { Principal } from "./ec2-authorization.ts";
import type { AuthorizationRequest, AuthorizationResult, MatchedStatement } from "./evaluate-policy.ts";

export const UNAUTHORIZED_OPERATION = "UnauthorizedOperation";
const NOT_AUTHORIZED = "You are not authorized to perform this operation.";
export const ENCODED_MESSAGE_MARKER = "Encoded authorization failure message: ";

type Items<T> = { items: T[] };
const items = <T>(list: T[]): Items<T> => ({ items: list });
const values = (list: readonly string[]) => items(list.map((value) => ({ value })));

export interface DecodedAuthorizationMessage {
  readonly allowed: boolean;
  readonly explicitDeny: boolean;
  readonly matchedStatements: Items<unknown>;
  readonly failures: Items<unknown>;
  readonly context: {
    readonly principal: { readonly id: string; readonly arn: string };
    readonly action: string;
    readonly resource: string;
    readonly conditions: Items<{ key: string; values: Items<{ value: string }> }>;
  };
  readonly imdsLab: {
    readonly decidedBy: string;
    readonly reason: string;
    readonly statements: readonly string[];
    /** Condition keys the deciding statements test that the request did not carry. */
    readonly absentKeys: readonly string[];
  };
}

/** "with an explicit deny in a service control policy", "because no identity-based policy allows …". */
export function denialReason(result: AuthorizationResult, action: string): string {
  const policyType = result.deniedBy === "scp" ? "service control policy" : "identity-based policy";
  if (result.decision === "ExplicitlyDenied") return `with an explicit deny in ${result.deniedBy === "scp" ? "a" : "an"} ${policyType}`;
  return `because no ${policyType} allows the ${action} action`;
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

function statementItem(match: MatchedStatement): unknown {
  const { statement } = match;
  const conditions = statement.conditions.map((c) => ({ key: c.key, values: values(c.values) }));
  return {
    statementId: statement.hasSid ? statement.sid : "",
    effect: statement.effect.toUpperCase(),
    principals: values(["*"]),
    principalGroups: items([]),
    actions: values(asList(statement.source.Action ?? statement.source.NotAction)),
    resources: values(asList(statement.source.Resource ?? statement.source.NotResource ?? "*")),
    conditions: items(conditions),
  };
}

function describeStatement(match: MatchedStatement): string {
  const conditions = match.statement.conditions.map((c) => `${c.operator.name} ${c.key} ${JSON.stringify(c.values.length === 1 ? c.values[0] : c.values)}`);
  const when = conditions.length === 0 ? "" : ` when ${conditions.join(" and ")}`;
  return `${match.statement.effect} ${match.statement.sid} in ${match.policyType === "scp" ? "SCP" : "identity policy"} ${match.policyName}${when}`;
}

/** The request's condition keys as STS lists them, the keys the matched statements name first. */
function contextConditions(request: AuthorizationRequest, matched: readonly MatchedStatement[]) {
  const named = new Set(matched.flatMap((m) => m.statement.conditions.map((c) => c.key.toLowerCase())));
  const keys = Object.keys(request.context).sort((a, b) => Number(named.has(b.toLowerCase())) - Number(named.has(a.toLowerCase())));
  return items(
    keys.map((key) => {
      const value = request.context[key]!;
      return { key, values: values(typeof value === "string" ? [value] : value) };
    }),
  );
}

/** Keys the matched statements test that the request did not carry (often the whole story). */
function absentKeys(request: AuthorizationRequest, matched: readonly MatchedStatement[]): string[] {
  const keys = matched.flatMap((m) => m.statement.conditions.map((c) => c.key));
  return [...new Set(keys)].filter((key) => lookupContext(request.context, key) === undefined);
}

export function decodedAuthorizationMessage(
  principal: Principal,
  request: AuthorizationRequest,
  result: AuthorizationResult,
): DecodedAuthorizationMessage {
  const reason = denialReason(result, request.action);
  return {
    allowed: false,
    explicitDeny: result.decision === "ExplicitlyDenied",
    matchedStatements: items(result.matched.map(statementItem)),
    failures: items([]),
    context: {
      principal: { id: principal.id, arn: principal.arn },
      action: request.action,
      resource: request.resource,
      conditions: contextConditions(request, result.matched),
    },
    imdsLab: {
      decidedBy: result.deniedBy === "scp" ? "service control policy" : "identity-based policy",
      reason: `${principal.arn} is not authorized to perform ${request.action} on ${request.resource} ${reason}`,
      statements: result.matched.map(describeStatement),
      absentKeys: absentKeys(request, result.matched),
    },
  };
}

export function unauthorizedOperationMessage(principal: Principal, request: AuthorizationRequest, result: AuthorizationResult, encoded: string): string {
  return (
    `${NOT_AUTHORIZED} User: ${principal.arn} is not authorized to perform: ${request.action} on resource: ` +
    `${request.resource} ${denialReason(result, request.action)}. ${ENCODED_MESSAGE_MARKER}${encoded}`
  );
}

/** The blob from a whole error message (or the blob itself, when that is what was given). */
export function extractEncodedMessage(text: string): string {
  const at = text.indexOf(ENCODED_MESSAGE_MARKER);
  const blob = at === -1 ? text : text.slice(at + ENCODED_MESSAGE_MARKER.length);
  return blob.trim().split(/\s/)[0] ?? "";
}
