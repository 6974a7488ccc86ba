/**
 * What RunInstances reads besides the request: the AMI and the launch template version. Read only;
 * launch templates are written by the launch template actions, images by the image actions.
 */
import { PUBLIC_IMAGES, type ImageRecord } from "../domain/images/image.ts";
import type { LaunchTemplateRecord, LaunchTemplateVersion } from "../domain/launch-templates/launch-template.ts";
import {
  imageIdMalformed,
  imageNotFound,
  launchTemplateIdMalformed,
  launchTemplateIdNotFound,
  launchTemplateNameNotFound,
  launchTemplateVersionNotFound,
} from "../domain/instance/resource-errors.ts";
import { isImageId, isLaunchTemplateId } from "../domain/instance/resource-ids.ts";
import { DomainError } from "../domain/errors.ts";
import type { StateStore } from "../store/state-store.ts";

export interface AccountScope {
  readonly accountId: string;
  readonly region: string;
}

export const LATEST_VERSION = "$Latest";
export const DEFAULT_VERSION = "$Default";
// Java's Long.parseLong reads leading zeros ("01" is 1), as the launch template actions do.
const VERSION_NUMBER = /^[0-9]{1,15}$/;

/**
 * An AMI the account may launch in the region: the public images (every region), its own
 * registered images, and other accounts' images made public there or shared with it through a
 * launch permission. Deregistered ones are gone.
 */
export function findLaunchImage(store: StateStore, scope: AccountScope, imageId: string): Omit<ImageRecord, "region"> {
  if (!isImageId(imageId)) throw imageIdMalformed(imageId);
  const stored = store.images.get(imageId);
  if (
    stored !== undefined &&
    stored.region === scope.region &&
    stored.state === "available" &&
    (stored.ownerId === scope.accountId || stored.isPublic || (stored.launchPermissionUserIds ?? []).includes(scope.accountId))
  ) {
    return stored;
  }
  const builtIn = PUBLIC_IMAGES.find((image) => image.imageId === imageId);
  if (builtIn !== undefined) return builtIn;
  throw imageNotFound(imageId);
}

export interface LaunchTemplateReference {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
  /** A version number, $Latest or $Default; absent means $Default (MODEL). */
  readonly version?: string | undefined;
}

export interface ResolvedTemplateVersion {
  readonly template: LaunchTemplateRecord;
  readonly version: LaunchTemplateVersion;
}

/** Finds a template of the account in the region by id or name, then the requested version. */
export function findLaunchTemplateVersion(
  store: StateStore,
  scope: AccountScope,
  reference: LaunchTemplateReference,
): ResolvedTemplateVersion {
  const template = findTemplate(store, scope, reference);
  const wanted = reference.version ?? DEFAULT_VERSION;
  let number: number | undefined;
  if (wanted === LATEST_VERSION) number = template.latestVersionNumber;
  else if (wanted === DEFAULT_VERSION) number = template.defaultVersionNumber;
  else if (VERSION_NUMBER.test(wanted)) number = Number(wanted);
  const version = template.versions.find((v) => v.versionNumber === number);
  if (version === undefined) throw launchTemplateVersionNotFound(wanted, template);
  return { template, version };
}

function findTemplate(store: StateStore, scope: AccountScope, reference: LaunchTemplateReference): LaunchTemplateRecord {
  const { id, name } = reference;
  if (id !== undefined && name !== undefined) {
    // [INF] EC2 wants one of the two; the sibling CreateFleet answers InvalidParameterCombination.
    throw new DomainError("InvalidParameterCombination", "Specify either LaunchTemplateId or LaunchTemplateName, not both.");
  }
  if (id !== undefined) {
    if (!isLaunchTemplateId(id)) throw launchTemplateIdMalformed(id);
    const found = store.launchTemplates.get(id);
    if (found === undefined || found.accountId !== scope.accountId || found.region !== scope.region) {
      throw launchTemplateIdNotFound(id);
    }
    return found;
  }
  if (name !== undefined) {
    const found = store.launchTemplates.list(scope).find((t) => t.templateName === name);
    if (found === undefined) throw launchTemplateNameNotFound(name);
    return found;
  }
  throw new DomainError("MissingParameter", "The request must contain the parameter LaunchTemplate.LaunchTemplateId or LaunchTemplate.LaunchTemplateName");
}
