/**
 * Where each metadata option of an instance came from. At launch EC2 resolves each option on its
 * own, walking the levels from RunInstances down to EC2's default ("Order of precedence for
 * instance metadata options",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-options.html);
 * after launch ModifyInstanceMetadataOptions changes single options. Each source says which object
 * at its level decided, as data, so `explain`, DescribeInstances and the dashboard read the same
 * facts and nothing parses prose.
 */
import { METADATA_OPTION_FIELDS } from "../options/metadata-option-names.ts";
import type { MetadataOptions, MetadataOptionsInput } from "../options/metadata-options.ts";

/** Who played the part of the RunInstances or ModifyInstanceMetadataOptions call. */
export type ChangeChannel = "ec2-api" | "serve-flags";

export type LaunchOptionSource =
  | { readonly level: "launch-parameters"; readonly via: ChangeChannel }
  | { readonly level: "launch-template"; readonly templateId: string; readonly templateName: string; readonly version: number }
  | { readonly level: "account-defaults"; readonly region: string }
  | { readonly level: "ami"; readonly imageId: string }
  | { readonly level: "ec2-default" };

export type OptionSource =
  | LaunchOptionSource
  | { readonly level: "modified-after-launch"; readonly via: ChangeChannel; readonly atMs: number }
  /** State written before imds-lab recorded sources (docs/behaviour.md#option-sources). */
  | { readonly level: "unrecorded" };

export type OptionLevel = OptionSource["level"];
export type LaunchLevel = LaunchOptionSource["level"];

export type OptionField = keyof MetadataOptions;
export type OptionSources = { readonly [F in OptionField]: OptionSource };
export type LaunchOptionSources = { readonly [F in OptionField]: LaunchOptionSource };

/** The levels a launch walks, highest first; the two after-launch levels follow. */
export const OPTION_LEVELS: readonly OptionLevel[] = Object.freeze([
  "launch-parameters",
  "launch-template",
  "account-defaults",
  "ami",
  "ec2-default",
  "modified-after-launch",
  "unrecorded",
] satisfies OptionLevel[]);

/** One line a person reads: which object at the level decided. */
export function describeOptionSource(source: OptionSource): string {
  switch (source.level) {
    case "launch-parameters":
      return source.via === "serve-flags" ? "imds-lab serve flags" : "RunInstances MetadataOptions";
    case "launch-template":
      return `${source.templateId} (${source.templateName}) version ${source.version}`;
    case "account-defaults":
      return source.region;
    case "ami":
      return `${source.imageId} ImdsSupport=v2.0`;
    case "ec2-default":
      return "EC2 default";
    case "modified-after-launch":
      return source.via === "serve-flags"
        ? "imds-lab serve flags at start"
        : `ModifyInstanceMetadataOptions at ${new Date(source.atMs).toISOString()}`;
    case "unrecorded":
      return "saved before imds-lab recorded sources";
  }
}

export function sameOptionSource(a: OptionSource, b: OptionSource): boolean {
  return describeOptionSource(a) === describeOptionSource(b) && a.level === b.level;
}

/**
 * The options, in the order EC2's API reference lists them: the wire-name table's keys, which the
 * compiler holds to `MetadataOptions`, so a sixth option cannot be missing here.
 */
export const OPTION_FIELDS: readonly OptionField[] = METADATA_OPTION_FIELDS;

/** The same source for every option. */
export function uniformSources(source: OptionSource): OptionSources {
  return { httpTokens: source, httpPutResponseHopLimit: source, httpEndpoint: source, httpProtocolIpv6: source, instanceMetadataTags: source };
}

/** A change's source for every option it sets; the others keep what `base` says. */
export function recordSources(change: MetadataOptionsInput, source: OptionSource, base: OptionSources): OptionSources {
  const out: { -readonly [F in OptionField]: OptionSource } = { ...base };
  for (const field of OPTION_FIELDS) if (change[field] !== undefined) out[field] = source;
  return out;
}
