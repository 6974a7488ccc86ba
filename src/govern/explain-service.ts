/**
 * `explain` for a running emulator: each option's current value and the level that set it (saved
 * at launch), and a what-if computed from the levels as they stand now. A launch record keeps
 * sources, not the levels' values, so the levels are read back: the launch template version named
 * by the instance's `aws:ec2launchtemplate:*` tags, the account defaults of its Region today, its
 * AMI's ImdsSupport today, and the fields RunInstances itself set.
 */
import { DomainError } from "../domain/errors.ts";
import { PUBLIC_IMAGES } from "../domain/images/image.ts";
import type { MetadataOptions, MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import { OPTION_FIELDS, type LaunchOptionsRequest, type LaunchTemplateOptions } from "../domain/precedence/resolve.ts";
import { explainLaunch } from "../domain/precedence/what-if.ts";
import { TAG_LAUNCH_TEMPLATE_ID, TAG_LAUNCH_TEMPLATE_VERSION } from "../services/launch-service.ts";
import type { InstanceDocument, StateStore } from "../store/state-store.ts";
import { optionsReport, outcomeReport, whatIfReports, type OptionsReport, type OutcomeReport, type SourceLike, type WhatIfReport } from "./explain-report.ts";

export interface InstanceExplanation {
  readonly instanceId: string;
  readonly accountId: string;
  readonly region: string;
  readonly imageId: string;
  /** The options the instance has now and who set each. */
  readonly options: OptionsReport;
  /** The levels as they stand now, and what a launch with the same request would get today. */
  readonly relaunch: OutcomeReport & { readonly levels: LaunchOptionsRequest };
  readonly whatIf: readonly WhatIfReport[];
}

const MODIFIED = "modification";

function storedSource(doc: InstanceDocument, field: keyof MetadataOptions): SourceLike {
  const stored = doc.optionSources?.[field];
  // Instances saved by an older imds-lab (the default instance, once) carry no sources.
  if (stored === undefined) return { level: "unrecorded", detail: "saved before imds-lab recorded sources" };
  if (stored.level === MODIFIED) return { level: "modified-after-launch", detail: stored.detail };
  return stored;
}

function launchTemplateOf(store: StateStore, doc: InstanceDocument): LaunchTemplateOptions | undefined {
  const tag = (key: string) => doc.record.tags.find((t) => t.key === key)?.value;
  const templateId = tag(TAG_LAUNCH_TEMPLATE_ID);
  if (templateId === undefined) return undefined;
  const versionNumber = Number(tag(TAG_LAUNCH_TEMPLATE_VERSION));
  const template = store.launchTemplates.get(templateId);
  const version = template?.versions.find((v) => v.versionNumber === versionNumber);
  // A deleted template or version: the fields it set are still known from the launch record.
  const input: MetadataOptionsInput = version?.data.metadataOptions ?? fieldsFrom(doc, "launch-template");
  return { input, templateId, templateName: template?.templateName ?? "deleted", version: versionNumber };
}

function fieldsFrom(doc: InstanceDocument, level: string): MetadataOptionsInput {
  const out: Record<string, unknown> = {};
  for (const field of OPTION_FIELDS) if (doc.optionSources?.[field]?.level === level) out[field] = doc.record.metadataOptions[field];
  return out as MetadataOptionsInput;
}

export function explainInstance(store: StateStore, instanceId: string): InstanceExplanation {
  const doc = store.instances.get(instanceId);
  if (doc === undefined) throw new DomainError("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
  const { record } = doc;
  const image = store.images.get(record.imageId) ?? PUBLIC_IMAGES.find((i) => i.imageId === record.imageId);
  const template = launchTemplateOf(store, doc);
  const levels: LaunchOptionsRequest = {
    launchParameters: fieldsFrom(doc, "launch-parameters"),
    ...(template === undefined ? {} : { launchTemplate: template }),
    account: { ...store.accountDefaults(record.accountId, record.region), region: record.region },
    image: { imageId: record.imageId, imdsSupport: image?.imdsSupport ?? null },
  };
  const explanation = explainLaunch(levels);
  const sources = Object.fromEntries(OPTION_FIELDS.map((f) => [f, storedSource(doc, f)])) as Record<keyof MetadataOptions, SourceLike>;
  return {
    instanceId,
    accountId: record.accountId,
    region: record.region,
    imageId: record.imageId,
    options: optionsReport(record.metadataOptions, sources),
    relaunch: { ...outcomeReport(explanation.outcome), levels },
    whatIf: whatIfReports(explanation),
  };
}
