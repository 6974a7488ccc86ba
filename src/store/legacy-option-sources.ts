/**
 * State files written before option sources were typed (schema 1 and 2) kept each source as
 * `{ level, detail }` strings, `detail` being prose. Migration 3 turns them into the typed
 * `OptionSource` union (src/domain/instance/option-source.ts). The prose was written by one
 * function per level, so every shape it took is known and parsed back here; an instance without
 * sources gets `unrecorded` for each option (docs/behaviour.md#option-sources).
 */
import { OPTION_FIELDS, type OptionField, type OptionSource, type OptionSources } from "../domain/instance/option-source.ts";

interface LegacySource {
  readonly level?: unknown;
  readonly detail?: unknown;
}

/** `lt-0abc (web) version 3`; the name may itself hold spaces and parentheses. */
const TEMPLATE_DETAIL = /^(lt-[0-9a-f]+) \((.*)\) version (\d+)$/;
const AMI_DETAIL = /^(\S+) ImdsSupport=v2\.0$/;
const MODIFY_DETAIL = /^ModifyInstanceMetadataOptions at (.+)$/;

export function upgradeOptionSource(legacy: LegacySource | undefined, instanceRegion: string, launchTimeMs: number): OptionSource {
  if (legacy === undefined || typeof legacy.level !== "string") return { level: "unrecorded" };
  const detail = typeof legacy.detail === "string" ? legacy.detail : "";
  switch (legacy.level) {
    case "launch-parameters":
      return { level: "launch-parameters", via: detail.startsWith("imds-lab serve") ? "serve-flags" : "ec2-api" };
    case "launch-template": {
      const m = TEMPLATE_DETAIL.exec(detail);
      return m === null ? { level: "unrecorded" } : { level: "launch-template", templateId: m[1]!, templateName: m[2]!, version: Number(m[3]) };
    }
    case "account-defaults":
      return { level: "account-defaults", region: detail === "" ? instanceRegion : detail };
    case "ami": {
      const m = AMI_DETAIL.exec(detail);
      return m === null ? { level: "unrecorded" } : { level: "ami", imageId: m[1]! };
    }
    case "ec2-default":
      return { level: "ec2-default" };
    case "modification": {
      if (detail.startsWith("imds-lab serve")) return { level: "modified-after-launch", via: "serve-flags", atMs: launchTimeMs };
      const at = Date.parse(MODIFY_DETAIL.exec(detail)?.[1] ?? "");
      return { level: "modified-after-launch", via: "ec2-api", atMs: Number.isNaN(at) ? launchTimeMs : at };
    }
    default:
      return { level: "unrecorded" };
  }
}

/** The typed sources of one stored instance document, whatever release wrote it. */
export function upgradeOptionSources(legacy: unknown, instanceRegion: string, launchTimeMs: number): OptionSources {
  const byField = (typeof legacy === "object" && legacy !== null ? legacy : {}) as Record<string, LegacySource | undefined>;
  const out = {} as Record<OptionField, OptionSource>;
  for (const field of OPTION_FIELDS) out[field] = upgradeOptionSource(byField[field], instanceRegion, launchTimeMs);
  return out;
}
