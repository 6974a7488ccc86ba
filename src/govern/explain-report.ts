/**
 * Explanations as data keyed by the EC2 API's field names (HttpTokens, …) and as text for people.
 * `source` is one of `launch-parameters`, `launch-template`, `account-defaults`, `ami`,
 * `ec2-default`, and for a running instance also `modified-after-launch` (a later
 * ModifyInstanceMetadataOptions, or serve flags on a later start of the default instance) or
 * `unrecorded` (an instance saved before sources were recorded).
 */
import { describeOptionSource, type OptionLevel, type OptionSource, type OptionSources } from "../domain/instance/option-source.ts";
import { metadataOptionParam, type MetadataOptionParam } from "../domain/options/metadata-option-names.ts";
import type { MetadataOptions } from "../domain/options/metadata-options.ts";
import { OPTION_FIELDS } from "../domain/precedence/resolve.ts";
import type { LaunchExplanation, LaunchOutcome } from "../domain/precedence/what-if.ts";

export type WireField = MetadataOptionParam;

export function wireName(field: keyof MetadataOptions): WireField {
  return metadataOptionParam(field);
}

export interface SourcedValue {
  readonly value: string | number;
  readonly source: OptionLevel;
  readonly detail: string;
}

export type OptionsReport = Record<WireField, SourcedValue>;

export interface OutcomeReport {
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  readonly options: OptionsReport;
}

export interface WhatIfReport {
  readonly id: string;
  readonly description: string;
  readonly ok: boolean;
  readonly error?: { readonly code: string; readonly message: string };
  readonly changes: readonly { field: WireField; from: SourcedValue; to: SourcedValue }[];
}

function sourced(value: string | number, source: OptionSource): SourcedValue {
  return { value, source: source.level, detail: describeOptionSource(source) };
}

export function optionsReport(options: MetadataOptions, sources: OptionSources): OptionsReport {
  const out = {} as Record<WireField, SourcedValue>;
  for (const field of OPTION_FIELDS) out[wireName(field)] = sourced(options[field], sources[field]);
  return out;
}

export function outcomeReport(outcome: LaunchOutcome): OutcomeReport {
  const options = optionsReport(outcome.resolved.options, outcome.resolved.sources);
  return outcome.ok ? { ok: true, options } : { ok: false, error: outcome.error, options };
}

export function whatIfReports(explanation: LaunchExplanation): WhatIfReport[] {
  return explanation.whatIf.map((w) => ({
    id: w.id,
    description: w.description,
    ok: w.outcome.ok,
    ...(w.outcome.ok ? {} : { error: w.outcome.error }),
    changes: w.changes.map((c) => ({ field: wireName(c.field), from: sourced(c.from.value, c.from.source), to: sourced(c.to.value, c.to.source) })),
  }));
}

/** `resolve --json`: `{ "HttpTokens": { "value": "required", "source": "ami" }, … }`. */
export function valueAndSource(options: OptionsReport): Record<WireField, { value: string | number; source: OptionLevel }> {
  const out = {} as Record<WireField, { value: string | number; source: OptionLevel }>;
  for (const [field, { value, source }] of Object.entries(options) as [WireField, SourcedValue][]) out[field] = { value, source };
  return out;
}

const SOURCE_WORDS: Record<OptionLevel, string> = {
  "launch-parameters": "launch parameter",
  "launch-template": "launch template",
  "account-defaults": "account default",
  ami: "AMI",
  "ec2-default": "EC2 default",
  "modified-after-launch": "modified after launch",
  unrecorded: "not recorded",
};

function describeSource(v: SourcedValue): string {
  const words = SOURCE_WORDS[v.source];
  return v.detail === "" || v.detail.toLowerCase() === words.toLowerCase() ? words : `${words}: ${v.detail}`;
}

/** One line per option: its value and where it came from. */
export function renderOptions(options: OptionsReport): string[] {
  const width = Math.max(...Object.keys(options).map((k) => k.length));
  return (Object.entries(options) as [WireField, SourcedValue][]).map(([field, v]) => `  ${field.padEnd(width)}  ${String(v.value).padEnd(9)}  from ${describeSource(v)}`);
}

/** One line per alternative: what it would change, and whether the launch would be refused. */
export function renderWhatIf(whatIf: readonly WhatIfReport[]): string[] {
  if (whatIf.length === 0) return [];
  return [
    "What would change:",
    ...whatIf.map((w) => {
      const change = (c: WhatIfReport["changes"][number]) =>
        c.from.value === c.to.value ? `${c.field} stays ${c.to.value}, from ${describeSource(c.to)}` : `${c.field} ${c.from.value} -> ${c.to.value}, from ${describeSource(c.to)}`;
      const effect = w.changes.length === 0 ? "nothing changes" : w.changes.map(change).join("; ");
      const refusal = w.ok ? "" : `; the launch would be refused (${w.error?.code})`;
      return `  - ${w.description}: ${effect}${refusal}`;
    }),
  ];
}

/** A table of the options and their sources, then what each level's absence would change. */
export function renderExplanation(title: string, options: OptionsReport, whatIf: readonly WhatIfReport[], error?: { code: string; message: string }): string {
  const lines = [title, "", ...renderOptions(options)];
  if (error !== undefined) lines.push("", `The launch is refused: ${error.code}: ${error.message}`);
  if (whatIf.length > 0) lines.push("", ...renderWhatIf(whatIf));
  return `${lines.join("\n")}\n`;
}
