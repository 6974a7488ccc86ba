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
import {
  launchTemplateIdMalformed,
} from "../domain/instance/resource-errors.ts";
import { isLaunchTemplateId } from "../domain/instance/resource-ids.ts";
import { DomainError } from "../domain/errors.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { IdSource, LaunchTemplateRepository } from "./ports.ts";

type LaunchTemplateScope = AccountScope;

/** A template named by id or by name: the calls take exactly one of the two. */
export type LaunchTemplateRef = { readonly templateId: string } | { readonly templateName: string };

export interface LaunchTemplatePorts {
  readonly templates: LaunchTemplateRepository;
  readonly ids: IdSource;
}

/** RunInstances' `LaunchTemplate`: by id or by name, and a version string (absent: $Default). */
export interface LaunchTemplateReference {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  readonly version?: string | undefined;
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

export interface NewLaunchTemplate {
  readonly name: string;
  readonly versionDescription: string | undefined;
  readonly data: LaunchTemplateData;
  readonly tags: readonly Tag[];
  readonly nowMs: number;
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


export interface LaunchTemplateQuery {
  readonly templateIds: readonly string[];
  readonly templateNames: readonly string[];
  readonly filters: readonly Filter[];
}


export interface VersionQuery {
  /** Absent: every template in scope, and `versions` holds only `$Latest` / `$Default`. */
  readonly ref: LaunchTemplateRef | undefined;
  readonly versions: readonly string[];
  readonly minVersion: number | undefined;
  readonly maxVersion: number | undefined;
  readonly filters: readonly Filter[];
}


function newestFirst(a: LaunchTemplateVersion, b: LaunchTemplateVersion): number {
  return b.versionNumber - a.versionNumber;
}



/** `LaunchTemplateErrorCode` values (EC2 API reference) used per version by DeleteLaunchTemplateVersions. */
export const VERSION_DOES_NOT_EXIST = "launchTemplateVersionDoesNotExist";
export const UNEXPECTED_ERROR = "unexpectedError";

export interface VersionDeletion {
  readonly record: LaunchTemplateRecord;
  readonly deleted: readonly number[];
  readonly failed: readonly { readonly versionNumber: number; readonly code: string; readonly message: string }[];
}

/**
 * Launch templates per account and Region: load from the repository, decide with the pure domain,
 * save. A failed call writes nothing (every check runs before `put`).
 */
export class LaunchTemplateService {
  private readonly store: LaunchTemplateRepository;

  constructor(private readonly ports: LaunchTemplatePorts) {
    this.store = ports.templates;
  }

  /** Every template of every account, in creation order (the dashboard lists them all). */
  all(): LaunchTemplateRecord[] {
    return this.store.list();
  }

  /** The template `ref` names in this account and region, if there is one. */
  find(scope: LaunchTemplateScope, ref: LaunchTemplateRef): LaunchTemplateRecord | undefined {
    if ("templateId" in ref) {
      const record = this.store.get(ref.templateId);
      return record !== undefined && inScope(record, scope) ? record : undefined;
    }
    return this.store.list(scope).find((r) => r.templateName === ref.templateName);
  }

  /**
   * The template `ref` names in this account and region, or EC2's NotFound for it. RunInstances
   * with `LaunchTemplate.LaunchTemplateId|LaunchTemplateName` loads its template through this.
   */
  get(scope: LaunchTemplateScope, ref: LaunchTemplateRef): LaunchTemplateRecord {
    const record = this.find(scope, ref);
    if (record !== undefined) return record;
    throw "templateId" in ref ? launchTemplateIdNotFound(ref.templateId) : launchTemplateNameNotFound(ref.templateName);
  }


  /** CreateLaunchTemplate: version 1 is both the default and the latest. */
  create(scope: LaunchTemplateScope, input: NewLaunchTemplate): LaunchTemplateRecord {
      const { store } = this;
      const { ids } = this.ports;
    // Names are unique per account and Region (EC2 UG, launch template restrictions).
    if (store.list(scope).some((r) => r.templateName === input.name)) throw launchTemplateNameInUse();
    let templateId: string;
    do templateId = LAUNCH_TEMPLATE_ID_PREFIX + ids.hex(LAUNCH_TEMPLATE_ID_HEX_DIGITS);
    while (store.get(templateId) !== undefined);
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
    store.put(record);
    return record;
  }

  /** CreateLaunchTemplateVersion: the default version stays where it is. */
  createVersion(scope: LaunchTemplateScope, input: NewLaunchTemplateVersion): TemplateVersion {
      const { store } = this;
      const record = this.get(scope, input.ref);
    const inherited = input.sourceVersion === undefined ? {} : findLaunchTemplateVersion(record, input.sourceVersion).data;
    const versionNumber = (record.issuedVersionNumber ?? record.latestVersionNumber) + 1;
    const version = newVersion(versionNumber, input.versionDescription, isoSeconds(input.nowMs), inheritLaunchTemplateData(inherited, input.data));
    const updated: LaunchTemplateRecord = {
      ...record,
      latestVersionNumber: versionNumber,
      issuedVersionNumber: versionNumber,
      versions: [...record.versions, version],
    };
    store.put(updated);
    return { record: updated, version };
  }

  /** DescribeLaunchTemplates: named templates must all exist; filters then narrow the answer. */
  describe(scope: LaunchTemplateScope, query: LaunchTemplateQuery): LaunchTemplateRecord[] {
      const { store } = this;
    const all = store.list(scope);
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

  /**
   * DescribeLaunchTemplateVersions, newest first as the CLI reference example lists them. Min and
   * max are inclusive bounds ("the version number after which" is ambiguous: docs/behaviour.md#launch-templates), applied on top
   * of any listed versions; a version named twice ("3" and "$Latest") is listed once.
   */
  describeVersions(scope: LaunchTemplateScope, query: VersionQuery): TemplateVersion[] {
      const { store } = this;
    const found: TemplateVersion[] = [];
    if (query.ref === undefined) {
      for (const record of store.list(scope)) {
        const picked = new Set<LaunchTemplateVersion>();
        if (query.versions.includes(VERSION_LATEST)) picked.add(findLaunchTemplateVersion(record, VERSION_LATEST));
        if (query.versions.includes(VERSION_DEFAULT)) picked.add(findLaunchTemplateVersion(record, VERSION_DEFAULT));
        found.push(...[...picked].sort(newestFirst).map((version) => ({ record, version })));
      }
    } else {
      const record = this.get(scope, query.ref);
      const listed = query.versions.length === 0 ? record.versions : [...new Set(query.versions.map((v) => findLaunchTemplateVersion(record, v)))];
      const inRange = listed.filter(
        (v) => (query.minVersion === undefined || v.versionNumber >= query.minVersion) && (query.maxVersion === undefined || v.versionNumber <= query.maxVersion),
      );
      found.push(...[...inRange].sort(newestFirst).map((version) => ({ record, version })));
    }
    return found.filter(({ record, version }) => versionMatchesFilters(record, version, query.filters));
  }

  /** ModifyLaunchTemplate: `SetDefaultVersion` is a version number; absent, nothing changes (docs/behaviour.md#launch-templates). */
  setDefaultVersion(scope: LaunchTemplateScope, ref: LaunchTemplateRef, version: string | undefined): LaunchTemplateRecord {
      const { store } = this;
      const record = this.get(scope, ref);
    if (version === undefined) return record;
    const wanted = parseVersionNumber(version);
    if (wanted === undefined || !record.versions.some((v) => v.versionNumber === wanted)) throw defaultVersionNotFound(version);
    const updated: LaunchTemplateRecord = { ...record, defaultVersionNumber: wanted };
    store.put(updated);
    return updated;
  }

  /** DeleteLaunchTemplate: the template and all of its versions (EC2 API reference). */
  delete(scope: LaunchTemplateScope, ref: LaunchTemplateRef): LaunchTemplateRecord {
      const { store } = this;
      const record = this.get(scope, ref);
    store.delete(record.templateId);
    return record;
  }

  /**
   * DeleteLaunchTemplateVersions: each version succeeds or fails on its own. "You can't delete the
   * default version of a launch template" (EC2 API reference); its per-version code and both messages are ours (docs/behaviour.md#launch-templates).
   */
  deleteVersions(scope: LaunchTemplateScope, ref: LaunchTemplateRef, versionNumbers: readonly number[]): VersionDeletion {
      const { store } = this;
      const record = this.get(scope, ref);
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
    store.put(updated);
    return { record: updated, deleted, failed };
  }

  /**
   * RunInstances' template and version: by id (checked for shape first) or by name, never both,
   * then the version string through the domain's lookup.
   */
  findForLaunch(scope: LaunchTemplateScope, reference: LaunchTemplateReference): TemplateVersion {
    const { id, name } = reference;
    if (id !== undefined && name !== undefined) {
      // EC2 wants one of the two; the sibling CreateFleet answers InvalidParameterCombination (docs/behaviour.md#launch-templates).
      throw new DomainError("InvalidParameterCombination", "Specify either LaunchTemplateId or LaunchTemplateName, not both.");
    }
    if (id === undefined && name === undefined) {
      throw new DomainError("MissingParameter", "The request must contain the parameter LaunchTemplate.LaunchTemplateId or LaunchTemplate.LaunchTemplateName");
    }
    if (id !== undefined && !isLaunchTemplateId(id)) throw launchTemplateIdMalformed(id);
    const record = this.get(scope, id !== undefined ? { templateId: id } : { templateName: name! });
    return { record, version: findLaunchTemplateVersion(record, reference.version) };
  }
}
