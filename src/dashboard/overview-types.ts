/** The JSON of GET /_imds-lab/dashboard/api/overview: plain data the page only draws. */
import type { Tag } from "../domain/instance/instance.ts";
import type { OptionLevel } from "../domain/instance/option-source.ts";
import type { AccountMetadataDefaults } from "../domain/options/account-defaults.ts";
import type { MetadataOptions, MetadataOptionsInput, OptionsState } from "../domain/options/metadata-options.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { CallSeries } from "./call-history.ts";
import type { ReadinessView, Verdict } from "./readiness.ts";

export interface OptionView {
  readonly field: keyof MetadataOptions;
  readonly value: string | number;
  readonly level: OptionLevel;
  readonly detail: string;
}

/** What RunInstances would give right now, or the error it would answer. */
export type LaunchPreview =
  | { readonly options: readonly OptionView[] }
  | { readonly refused: { readonly code: string; readonly message: string } };

export interface RegionView extends AccountScope {
  readonly defaults: AccountMetadataDefaults;
  readonly instances: number;
  readonly allowingV1: number;
}

export interface ImageView {
  readonly imageId: string;
  readonly name: string;
  readonly ownerId: string;
  readonly isPublic: boolean;
  readonly imdsSupport: "v2.0" | null;
  /** A launch from this image alone, in `previewScope`. */
  readonly previewScope: AccountScope;
  readonly preview: LaunchPreview;
}

export interface LaunchTemplateView extends AccountScope {
  readonly templateId: string;
  readonly templateName: string;
  readonly defaultVersion: number;
  readonly latestVersion: number;
  /** What the default version sets; absent fields are left to lower levels. */
  readonly metadataOptions: MetadataOptionsInput;
  readonly imageId: string | null;
  /** A launch from the default version with nothing else given. */
  readonly preview: LaunchPreview;
}

export interface InstanceView extends AccountScope {
  readonly instanceId: string;
  readonly name: string | null;
  readonly isDefault: boolean;
  readonly state: string;
  readonly imageId: string;
  readonly imds: string | null;
  readonly options: readonly OptionView[];
  readonly optionsState: OptionsState;
  /** Token-less calls are answered: HttpTokens optional on an enabled endpoint of a live instance. */
  readonly allowsV1: boolean;
  readonly tags: readonly Tag[];
  /** Since the emulator started (the endpoint's counters). */
  readonly calls: { readonly v1Served: number; readonly v1Rejected: number; readonly v2Served: number };
  readonly readiness: ReadinessView;
}

export interface DashboardSummary {
  readonly instances: number;
  readonly allowingV1: number;
  readonly verdicts: Readonly<Record<Verdict, number>>;
  readonly v1Served: number;
  readonly v1Rejected: number;
  readonly v2Served: number;
}

export interface ObserveStatus {
  /** True when the observe feature's report named the callers. */
  readonly available: boolean;
  readonly observedSince?: string;
  /** Why the counters had to do. */
  readonly reason?: string;
}

export interface DashboardOverview {
  readonly generatedAt: string;
  readonly defaultScope: AccountScope;
  readonly observe: ObserveStatus;
  readonly summary: DashboardSummary;
  readonly regions: readonly RegionView[];
  readonly images: readonly ImageView[];
  readonly launchTemplates: readonly LaunchTemplateView[];
  readonly instances: readonly InstanceView[];
  readonly calls: CallSeries;
}
