/**
 * IAM condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators" and
 * "Set operators for multivalued context keys"). One clause is one operator, one key and its list
 * of values; the values of a clause are ORed, the clauses of a statement ANDed.
 *
 * Semantics reproduced:
 * - A key missing from the request: positive operators do not match, negated ones (`...Not...`)
 *   and `...IfExists` do; `Null: true` matches, `Null: false` does not.
 * - A multivalued key needs a set operator: a plain operator against a list never matches
 *   ("use ForAllValues or ForAnyValue with multivalued keys").
 * - `ForAnyValue`: some request value matches; a missing key does not match.
 *   `ForAllValues`: every request value matches; a missing key, or an empty list, matches.
 * - Negated operators match when the request value equals none of the policy values.
 * - A value that is not a number (Numeric*), not true/false (Bool) or not a date (Date*) never
 *   matches, for negated operators too.
 */
import { resourceMatcher, wildcardMatcher } from "./wildcard.ts";

export type ContextValue = string | readonly string[];
/** Request context keys, looked up case-insensitively as IAM does. */
export type ContextValues = Readonly<Record<string, ContextValue>>;

export type SetOperator = "ForAnyValue" | "ForAllValues";

export interface ParsedOperator {
  /** As written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly name: string;
  readonly set: SetOperator | undefined;
  /** e.g. `StringLike`, `Null`. */
  readonly base: string;
  readonly ifExists: boolean;
}

interface BaseOperator {
  readonly negated: boolean;
  /** Whether one request value satisfies one policy value. */
  compare(requestValue: string, policyValue: string): boolean | undefined;
}

function numberOf(text: string): number | undefined {
  return /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/.test(text) ? Number(text) : undefined;
}

function dateOf(text: string): number | undefined {
  // Dates are ISO 8601 or epoch seconds (IAM "Date condition operators").
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function numeric(test: (request: number, policy: number) => boolean, negated = false): BaseOperator {
  return {
    negated,
    compare(requestValue, policyValue) {
      const r = numberOf(requestValue);
      const p = numberOf(policyValue);
      return r === undefined || p === undefined ? undefined : test(r, p);
    },
  };
}

function date(test: (request: number, policy: number) => boolean, negated = false): BaseOperator {
  return {
    negated,
    compare(requestValue, policyValue) {
      const r = dateOf(requestValue);
      const p = dateOf(policyValue);
      return r === undefined || p === undefined ? undefined : test(r, p);
    },
  };
}

const equalsExact: BaseOperator["compare"] = (r, p) => r === p;
const equalsIgnoreCase: BaseOperator["compare"] = (r, p) => r.toLowerCase() === p.toLowerCase();
const like: BaseOperator["compare"] = (r, p) => wildcardMatcher(p).test(r);
const arnLike: BaseOperator["compare"] = (r, p) => resourceMatcher(p).test(r);
const bool: BaseOperator["compare"] = (r, p) => {
  const isBool = (v: string) => v.toLowerCase() === "true" || v.toLowerCase() === "false";
  return isBool(r) && isBool(p) ? r.toLowerCase() === p.toLowerCase() : undefined;
};

/** Keyed by lower-case name: operator names are case-insensitive in IAM. */
const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map(
  Object.entries({
    StringEquals: { negated: false, compare: equalsExact },
    StringNotEquals: { negated: true, compare: equalsExact },
    StringEqualsIgnoreCase: { negated: false, compare: equalsIgnoreCase },
    StringNotEqualsIgnoreCase: { negated: true, compare: equalsIgnoreCase },
    StringLike: { negated: false, compare: like },
    StringNotLike: { negated: true, compare: like },
    // ArnEquals and ArnLike behave the same (IAM: "ArnEquals, ArnLike ... same behavior").
    ArnEquals: { negated: false, compare: arnLike },
    ArnLike: { negated: false, compare: arnLike },
    ArnNotEquals: { negated: true, compare: arnLike },
    ArnNotLike: { negated: true, compare: arnLike },
    NumericEquals: numeric((r, p) => r === p),
    NumericNotEquals: numeric((r, p) => r === p, true),
    NumericLessThan: numeric((r, p) => r < p),
    NumericLessThanEquals: numeric((r, p) => r <= p),
    NumericGreaterThan: numeric((r, p) => r > p),
    NumericGreaterThanEquals: numeric((r, p) => r >= p),
    DateEquals: date((r, p) => r === p),
    DateNotEquals: date((r, p) => r === p, true),
    DateLessThan: date((r, p) => r < p),
    DateLessThanEquals: date((r, p) => r <= p),
    DateGreaterThan: date((r, p) => r > p),
    DateGreaterThanEquals: date((r, p) => r >= p),
    Bool: { negated: false, compare: bool },
  }).map(([name, op]) => [name.toLowerCase(), op]),
);

const NULL_OPERATOR = "null";
const IF_EXISTS = "IfExists";

/** `ForAnyValue:StringLikeIfExists` -> its parts, or undefined for an operator IAM does not have here. */
export function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(":");
  if (colon !== -1) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === "foranyvalue") set = "ForAnyValue";
    else if (prefix === "forallvalues") set = "ForAllValues";
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith(IF_EXISTS.toLowerCase()) && rest.toLowerCase() !== NULL_OPERATOR) {
    ifExists = true;
    rest = rest.slice(0, -IF_EXISTS.length);
  }
  const base = rest.toLowerCase();
  if (base === NULL_OPERATOR) return ifExists || set !== undefined ? undefined : { name, set, base: "Null", ifExists };
  if (!BASE_OPERATORS.has(base)) return undefined;
  return { name, set, base: rest, ifExists };
}

export function lookupContext(context: ContextValues, key: string): ContextValue | undefined {
  if (Object.hasOwn(context, key)) return context[key];
  const lower = key.toLowerCase();
  for (const [name, value] of Object.entries(context)) if (name.toLowerCase() === lower) return value;
  return undefined;
}

/** One request value against the policy values of a clause: true, false, or undefined for "not comparable". */
function valueMatches(op: BaseOperator, requestValue: string, policyValues: readonly string[]): boolean {
  // A value that can't be compared counts as "no match" for a positive operator and spoils a
  // negated one (it can't be shown to differ).
  const results = policyValues.map((p) => op.compare(requestValue, p));
  return op.negated ? results.every((r) => r === false) : results.some((r) => r === true);
}

export function conditionMatches(
  operator: ParsedOperator,
  key: string,
  policyValues: readonly string[],
  context: ContextValues,
): boolean {
  const value = lookupContext(context, key);
  if (operator.base === "Null") {
    const wanted = value === undefined ? "true" : "false";
    return policyValues.some((v) => v.toLowerCase() === wanted);
  }
  const op = BASE_OPERATORS.get(operator.base.toLowerCase())!;
  if (operator.set === "ForAnyValue") {
    if (value === undefined) return false;
    const values = typeof value === "string" ? [value] : value;
    return values.some((v) => valueMatches(op, v, policyValues));
  }
  if (operator.set === "ForAllValues") {
    if (value === undefined) return true;
    const values = typeof value === "string" ? [value] : value;
    return values.every((v) => valueMatches(op, v, policyValues));
  }
  if (value === undefined) return operator.ifExists || op.negated;
  if (typeof value !== "string") return false;
  return valueMatches(op, value, policyValues);
}
