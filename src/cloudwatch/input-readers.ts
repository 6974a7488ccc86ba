/**
 * Parse at the boundary: an operation's input arrives as plain data from three protocols (CBOR
 * maps with tagged dates, JSON with epoch seconds, Query strings) and leaves as typed values, or as
 * CloudWatch's own validation error.
 */
import { CloudWatchError } from "./cloudwatch-error.ts";

export type Input = Readonly<Record<string, unknown>>;

export function optionalString(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be a string.`);
}

export function requiredString(input: Input, name: string): string {
  const v = optionalString(input, name);
  if (v === undefined || v === "") throw new CloudWatchError("MissingParameter", `The parameter ${name} is required.`);
  return v;
}

export function optionalInteger(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n)) throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be an integer.`);
  return n;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "boolean") return v;
  if (v === "true" || v === "false") return v === "true";
  throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be a boolean.`);
}

/** A Date (CBOR tag 1), epoch seconds (JSON) or an ISO 8601 string (Query); in ms. */
export function requiredTimestamp(input: Input, name: string): number {
  const v = input[name];
  if (v === undefined || v === null || v === "") throw new CloudWatchError("MissingParameter", `The parameter ${name} is required.`);
  const ms = v instanceof Date ? v.getTime() : typeof v === "number" ? v * 1000 : typeof v === "string" ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be a valid timestamp.`);
  return ms;
}

export function optionalList(input: Input, name: string): readonly unknown[] {
  const v = input[name];
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be a list.`);
}

export function struct(value: unknown, name: string): Input {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) return value as Input;
  throw new CloudWatchError("InvalidParameterValue", `The parameter ${name} must be a structure.`);
}

export interface DimensionFilter {
  readonly name: string;
  readonly value: string | undefined;
}

/** Dimensions: Name required, Value required unless `valueOptional` (ListMetrics' filters). */
export function dimensions(input: Input, name: string, valueOptional = false): DimensionFilter[] {
  return optionalList(input, name).map((raw, i) => {
    const d = struct(raw, `${name}.member.${i + 1}`);
    const dimensionName = requiredString(d, "Name");
    const value = valueOptional ? optionalString(d, "Value") : requiredString(d, "Value");
    return { name: dimensionName, value };
  });
}
