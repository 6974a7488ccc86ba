/**
 * `explain` for a running emulator: each option's current value and the level that set it (saved
 * at launch, or by a later modification), and a what-if computed from the levels as they stand
 * now. A launch keeps sources, not the levels' values, so the levels are read back: the launch
 * template version the sources name (or, when the template decided no option, the one EC2's
 * `aws:ec2launchtemplate:*` tags name), the account defaults of its Region today, its AMI's
 * ImdsSupport today, and the fields RunInstances itself set.
 */
import { DomainError } from "../domain/errors.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { OptionSources } from "../domain/instance/option-source.ts";
import type { MetadataOptions, MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import { OPTION_FIELDS, type LaunchOptionsRequest, type LaunchTemplateOptions } from "../domain/precedence/resolve.ts";
import { explainLaunch, type LaunchExplanation } from "../domain/precedence/what-if.ts";
import type { ImageCatalogue } from "./image-catalogue.ts";
import { TAG_LAUNCH_TEMPLATE_ID, TAG_LAUNCH_TEMPLATE_VERSION } from "./launch-service.ts";
import type { AccountDefaultsRepository, InstanceRepository, LaunchTemplateRepository } from "./ports.ts";

export interface InstanceExplanationData {
  readonly instance: Instance;
  /** The options the instance has now and who set each. */
  readonly options: MetadataOptions;
  readonly sources: OptionSources;
  /** The levels as they stand now, and what a launch with the same request would get today. */
  readonly levels: LaunchOptionsRequest;
  readonly relaunch: LaunchExplanation;
}

export interface ExplainPorts {
  readonly instances: InstanceRepository;
  readonly catalogue: ImageCatalogue;
  readonly templates: LaunchTemplateRepository;
  readonly defaults: AccountDefaultsRepository;
}

export class ExplainService {
  constructor(private readonly ports: ExplainPorts) {}

  explain(instanceId: string): InstanceExplanationData {
    const instance = this.ports.instances.get(instanceId);
    if (instance === undefined) throw new DomainError("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`);
    const { record } = instance;
    const image = this.ports.catalogue.find(record.imageId);
    const template = this.launchTemplateOf(instance);
    const levels: LaunchOptionsRequest = {
      launchParameters: fieldsFrom(instance, "launch-parameters"),
      ...(template === undefined ? {} : { launchTemplate: template }),
      account: { ...this.ports.defaults.accountDefaults(record.accountId, record.region), region: record.region },
      image: { imageId: record.imageId, imdsSupport: image?.imdsSupport ?? null },
    };
    return { instance, options: record.metadataOptions, sources: instance.optionSources, levels, relaunch: explainLaunch(levels) };
  }

  private launchTemplateOf(instance: Instance): LaunchTemplateOptions | undefined {
    const fromSources = OPTION_FIELDS.map((f) => instance.optionSources[f]).find((s) => s.level === "launch-template");
    const tag = (key: string) => instance.record.tags.find((t) => t.key === key)?.value;
    const templateId = fromSources?.level === "launch-template" ? fromSources.templateId : tag(TAG_LAUNCH_TEMPLATE_ID);
    if (templateId === undefined) return undefined;
    const versionNumber = fromSources?.level === "launch-template" ? fromSources.version : Number(tag(TAG_LAUNCH_TEMPLATE_VERSION));
    const template = this.ports.templates.get(templateId);
    const version = template?.versions.find((v) => v.versionNumber === versionNumber);
    // A deleted template or version: the fields it set are still known from the launch record.
    const input: MetadataOptionsInput = version?.data.metadataOptions ?? fieldsFrom(instance, "launch-template");
    const templateName = template?.templateName ?? (fromSources?.level === "launch-template" ? fromSources.templateName : "deleted");
    return { input, templateId, templateName, version: versionNumber };
  }
}

function fieldsFrom(instance: Instance, level: "launch-parameters" | "launch-template"): MetadataOptionsInput {
  const out: { -readonly [K in keyof MetadataOptions]?: MetadataOptions[K] } = {};
  for (const field of OPTION_FIELDS) if (instance.optionSources[field].level === level) copy(out, instance.record.metadataOptions, field);
  return out;
}

function copy<K extends keyof MetadataOptions>(to: { -readonly [F in keyof MetadataOptions]?: MetadataOptions[F] }, from: MetadataOptions, field: K): void {
  to[field] = from[field];
}
