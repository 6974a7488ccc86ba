/**
 * Launch template use cases: load from the store, decide with the pure domain, save. Templates
 * live per account and region; a failed call writes nothing (every check runs before `put`).
 */
import type { Tag } from "../domain/instance/instance.ts";
import type {
  LaunchTemplateData,
  LaunchTemplateRecord,
  LaunchTemplateVersion,
} from "../domain/launch-templates/launch-template.ts";
import {
  defaultVersionNotFound,
  launchTemplateIdNotFound,
  launchTemplateNameInUse,
  launchTemplateNameNotFound,
  someLaunchTemplatesNotFound,
} from "../domain/launch-templates/launch-template-errors.ts";
import { templateMatchesFilters, versionMatchesFilters, type Filter } from "../domain/launch-templates/launch-template-filters.ts";
import {
  inheritLaunchTemplateData,
  LAUNCH_TEMPLATE_ID_HEX_DIGITS,
  LAUNCH_TEMPLATE_ID_PREFIX,
} from "../domain/launch-templates/launch-template-rules.ts";
import { findLaunchTemplateVersion, parseVersionNumber, VERSION_DEFAULT, VERSION_LATEST } from "../domain/launch-templates/resolve-version.ts";
import type { StateStore } from "../store/state-store.ts";
import type { IdSource } from "./instance-factory.ts";

export interface LaunchTemplateScope {
  readonly accountId: string;
  readonly region: string;
}

/** A template named by id or by name: the calls take exactly one of the two. */
export type LaunchTemplateRef = { readonly templateId: string } | { readonly templateName: string };

export interface LaunchTemplateDeps {
  readonly store: StateStore;
  readonly ids: IdSource;
}

export interface TemplateVersion {
  readonly record: LaunchTemplateRecord;
  readonly version: LaunchTemplateVersion;
}

/** Times as EC2 shows them: whole seconds, `2017-11-20T13:19:54.000Z`. */
function isoSeconds(nowMs: number): string {
  return new Date(Math.floor(nowMs / 1000) * 1000).toISOString();
}

function inScope(record: LaunchTemplateRecord, scope: LaunchTemplateScope): boolean {
  return record.accountId === scope.accountId && record.region === scope.region;
}

/**
 * The template `ref` names in this account and region, or EC2's NotFound for it. RunInstances
 * with `LaunchTemplate.LaunchTemplateId|LaunchTemplateName` loads its template through this.
 */
export function getLaunchTemplate(store: StateStore, scope: LaunchTemplateScope, ref: LaunchTemplateRef): LaunchTemplateRecord {
  if ("templateId" in ref) {
    const record = store.launchTemplates.get(ref.templateId);
    if (record === undefined || !inScope(record, scope)) throw launchTemplateIdNotFound(ref.templateId);
    return record;
  }
  const record = store.launchTemplates.list(scope).find((r) => r.templateName === ref.templateName);
  if (record === undefined) throw launchTemplateNameNotFound(ref.templateName);
  return record;
}

export interface NewLaunchTemplate {
  readonly name: string;
  readonly versionDescription: string | undefined;
  readonly data: LaunchTemplateData;
  readonly tags: readonly Tag[];
  readonly nowMs: number;
}

/** CreateLaunchTemplate: version 1 is both the default and the latest. */
export function createLaunchTemplate(deps: LaunchTemplateDeps, scope: LaunchTemplateScope, input: NewLaunchTemplate): LaunchTemplateRecord {
  const { store, ids } = deps;
  // Names are unique per account and Region (EC2 UG, launch template restrictions).
  if (store.launchTemplates.list(scope).some((r) => r.templateName === input.name)) throw launchTemplateNameInUse();
  let templateId: string;
  do templateId = LAUNCH_TEMPLATE_ID_PREFIX + ids.hex(LAUNCH_TEMPLATE_ID_HEX_DIGITS);
  while (store.launchTemplates.get(templateId) !== undefined);
  const createTime = isoSeconds(input.nowMs);
  const record: LaunchTemplateRecord = {
    templateId,
    templateName: input.name,
    accountId: scope.accountId,
    region: scope.region,
    createTime,
    createdBy: `arn:aws:iam::${scope.accountId}:root`,
    defaultVersionNumber: 1,
    latestVersionNumber: 1,
    issuedVersionNumber: 1,
    versions: [newVersion(1, input.versionDescription, createTime, input.data)],
    tags: input.tags,
  };
  store.launchTemplates.put(record);
  return record;
}

function newVersion(versionNumber: number, description: string | undefined, createTime: string, data: LaunchTemplateData): LaunchTemplateVersion {
  return description === undefined ? { versionNumber, createTime, data } : { versionNumber, versionDescription: description, createTime, data };
}

export interface NewLaunchTemplateVersion {
  readonly ref: LaunchTemplateRef;
  readonly sourceVersion: string | undefined;
  readonly versionDescription: string | undefined;
  readonly data: LaunchTemplateData;
  readonly nowMs: number;
}

/** CreateLaunchTemplateVersion: the default version stays where it is. */
export function createLaunchTemplateVersion(store: StateStore, scope: LaunchTemplateScope, input: NewLaunchTemplateVersion): TemplateVersion {
  const record = getLaunchTemplate(store, scope, input.ref);
  const inherited = input.sourceVersion === undefined ? {} : findLaunchTemplateVersion(record, input.sourceVersion).data;
  const versionNumber = (record.issuedVersionNumber ?? record.latestVersionNumber) + 1;
  const version = newVersion(versionNumber, input.versionDescription, isoSeconds(input.nowMs), inheritLaunchTemplateData(inherited, input.data));
  const updated: LaunchTemplateRecord = {
    ...record,
    latestVersionNumber: versionNumber,
    issuedVersionNumber: versionNumber,
    versions: [...record.versions, version],
  };
  store.launchTemplates.put(updated);
  return { record: updated, version };
}

export interface LaunchTemplateQuery {
  readonly templateIds: readonly string[];
  readonly templateNames: readonly string[];
  readonly filters: readonly Filter[];
}

/** DescribeLaunchTemplates: named templates must all exist; filters then narrow the answer. */
export function describeLaunchTemplates(store: StateStore, scope: LaunchTemplateScope, query: LaunchTemplateQuery): LaunchTemplateRecord[] {
  const all = store.launchTemplates.list(scope);
  let chosen = all;
  if (query.templateIds.length > 0 || query.templateNames.length > 0) {
    const byId = query.templateIds.map((id) => all.find((r) => r.templateId === id));
    if (byId.includes(undefined)) throw someLaunchTemplatesNotFound(false);
    const byName = query.templateNames.map((name) => all.find((r) => r.templateName === name));
    if (byName.includes(undefined)) throw someLaunchTemplatesNotFound(true);
    chosen = [...new Set([...byId, ...byName] as LaunchTemplateRecord[])];
  }
  return chosen.filter((record) => templateMatchesFilters(record, query.filters));
}

export interface VersionQuery {
  /** Absent: every template in scope, and `versions` holds only `$Latest` / `$Default`. */
  readonly ref: LaunchTemplateRef | undefined;
  readonly versions: readonly string[];
  readonly minVersion: number | undefined;
  readonly maxVersion: number | undefined;
  readonly filters: readonly Filter[];
}

/**
 * DescribeLaunchTemplateVersions, newest first as the CLI reference example lists them. Min and
 * max are inclusive bounds [INF: "the version number after which" is ambiguous], applied on top
 * of any listed versions; a version named twice ("3" and "$Latest") is listed once.
 */
export function describeLaunchTemplateVersions(store: StateStore, scope: LaunchTemplateScope, query: VersionQuery): TemplateVersion[] {
  const found: TemplateVersion[] = [];
  if (query.ref === undefined) {
    for (const record of store.launchTemplates.list(scope)) {
      const picked = new Set<LaunchTemplateVersion>();
      if (query.versions.includes(VERSION_LATEST)) picked.add(findLaunchTemplateVersion(record, VERSION_LATEST));
      if (query.versions.includes(VERSION_DEFAULT)) picked.add(findLaunchTemplateVersion(record, VERSION_DEFAULT));
      found.push(...[...picked].sort(newestFirst).map((version) => ({ record, version })));
    }
  } else {
    const record = getLaunchTemplate(store, scope, query.ref);
    const listed = query.versions.length === 0 ? record.versions : [...new Set(query.versions.map((v) => findLaunchTemplateVersion(record, v)))];
    const inRange = listed.filter(
      (v) => (query.minVersion === undefined || v.versionNumber >= query.minVersion) && (query.maxVersion === undefined || v.versionNumber <= query.maxVersion),
    );
    found.push(...[...inRange].sort(newestFirst).map((version) => ({ record, version })));
  }
  return found.filter(({ record, version }) => versionMatchesFilters(record, version, query.filters));
}

function newestFirst(a: LaunchTemplateVersion, b: LaunchTemplateVersion): number {
  return b.versionNumber - a.versionNumber;
}

/** ModifyLaunchTemplate: `SetDefaultVersion` is a version number; absent, nothing changes [INF]. */
export function setDefaultVersion(store: StateStore, scope: LaunchTemplateScope, ref: LaunchTemplateRef, version: string | undefined): LaunchTemplateRecord {
  const record = getLaunchTemplate(store, scope, ref);
  if (version === undefined) return record;
  const wanted = parseVersionNumber(version);
  if (wanted === undefined || !record.versions.some((v) => v.versionNumber === wanted)) throw defaultVersionNotFound(version);
  const updated: LaunchTemplateRecord = { ...record, defaultVersionNumber: wanted };
  store.launchTemplates.put(updated);
  return updated;
}

/** DeleteLaunchTemplate: the template and all of its versions (MODEL). */
export function deleteLaunchTemplate(store: StateStore, scope: LaunchTemplateScope, ref: LaunchTemplateRef): LaunchTemplateRecord {
  const record = getLaunchTemplate(store, scope, ref);
  store.launchTemplates.delete(record.templateId);
  return record;
}

/** MODEL `LaunchTemplateErrorCode` values used per version by DeleteLaunchTemplateVersions. */
export const VERSION_DOES_NOT_EXIST = "launchTemplateVersionDoesNotExist";
export const UNEXPECTED_ERROR = "unexpectedError";

export interface VersionDeletion {
  readonly record: LaunchTemplateRecord;
  readonly deleted: readonly number[];
  readonly failed: readonly { readonly versionNumber: number; readonly code: string; readonly message: string }[];
}

/**
 * DeleteLaunchTemplateVersions: each version succeeds or fails on its own. "You can't delete the
 * default version of a launch template" (MODEL); its per-version code and both messages are [INF].
 */
export function deleteLaunchTemplateVersions(store: StateStore, scope: LaunchTemplateScope, ref: LaunchTemplateRef, versionNumbers: readonly number[]): VersionDeletion {
  const record = getLaunchTemplate(store, scope, ref);
  const remaining = new Map(record.versions.map((v) => [v.versionNumber, v]));
  const deleted: number[] = [];
  const failed: { versionNumber: number; code: string; message: string }[] = [];
  for (const versionNumber of versionNumbers) {
    if (versionNumber === record.defaultVersionNumber) {
      failed.push({ versionNumber, code: UNEXPECTED_ERROR, message: "The default version of a launch template cannot be deleted." });
    } else if (!remaining.delete(versionNumber)) {
      failed.push({ versionNumber, code: VERSION_DOES_NOT_EXIST, message: "The launch template version does not exist." });
    } else {
      deleted.push(versionNumber);
    }
  }
  if (deleted.length === 0) return { record, deleted, failed };
  const versions = [...remaining.values()];
  const updated: LaunchTemplateRecord = {
    ...record,
    versions,
    latestVersionNumber: Math.max(...versions.map((v) => v.versionNumber)),
    issuedVersionNumber: record.issuedVersionNumber ?? record.latestVersionNumber,
  };
  store.launchTemplates.put(updated);
  return { record: updated, deleted, failed };
}
