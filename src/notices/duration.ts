import { DomainError } from "../domain/errors.ts";

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as users write it: "200ms", "30s", "2m", "1h", "1.5s", or a bare number of seconds
 * (the control API's `in: 30` means 30 seconds). Returns whole milliseconds.
 */
export function parseDuration(value: string | number, name = "duration"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new DomainError("InvalidParameterValue", `${name} must be a number of seconds >= 0`);
    return Math.round(value * 1000);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (match === null) throw new DomainError("InvalidParameterValue", `${name} ${JSON.stringify(value)} is not a duration such as 200ms, 30s, 2m or 1h`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? "s"]!);
}

/** A rate as "10/s", "600/m" or a bare number per second. */
export function parseRate(value: string | number, name = "rate"): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new DomainError("InvalidParameterValue", `${name} must be >= 0 per second`);
    return value;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|m|h))?\s*$/.exec(value);
  if (match === null) throw new DomainError("InvalidParameterValue", `${name} ${JSON.stringify(value)} is not a rate such as 10/s or 600/m`);
  return (Number(match[1]) * 1000) / UNITS[match[2] ?? "s"]!;
}
