/**
 * CreateTags / DeleteTags / DescribeTags over the resources the emulator keeps: instances, the
 * account's own registered images and its launch templates. Instance tag changes are saved
 * through the estate, so `meta-data/tags/instance/` shows them at once ("the instance metadata is
 * updated while the instance is running", UG-TAGS).
 */
import { DomainError } from "../domain/errors.ts";
import { PUBLIC_IMAGES, type ImageRecord } from "../domain/images/image.ts";
import type { Tag } from "../domain/instance/instance.ts";
import {
  imageIdMalformed,
  imageNotFound,
  instanceIdMalformed,
  invalidResourceId,
  launchTemplateIdMalformed,
  launchTemplateIdNotFound,
} from "../domain/instance/resource-errors.ts";
import { isImageId, isInstanceId, isLaunchTemplateId, taggableResourceType, type TaggableResourceType } from "../domain/instance/resource-ids.ts";
import type { LaunchTemplateRecord } from "../domain/launch-templates/launch-template.ts";
import { metadataTagKeyProblem } from "../domain/tags/metadata-tag-keys.ts";
import { assertTagLimit, assertUserTag, isAwsReservedKey, mergeTags, removeTags, reservedKeyError, type TagRemoval } from "../domain/tags/tag-rules.ts";
import type { InstanceDocument } from "../store/state-store.ts";
import type { Ec2Services } from "./ec2-services.ts";
import { findInstances } from "./instance-service.ts";
import type { AccountScope } from "./launch-lookups.ts";

export type TagOperation =
  | { readonly kind: "create"; readonly tags: readonly Tag[] }
  /** `removals` undefined: every user tag (DeleteTags without Tag.N). */
  | { readonly kind: "delete"; readonly removals: readonly TagRemoval[] | undefined };

export type TagWrite =
  | { readonly type: "instance"; readonly doc: InstanceDocument }
  | { readonly type: "image"; readonly image: ImageRecord }
  | { readonly type: "launch-template"; readonly template: LaunchTemplateRecord };

export interface TagDescription {
  readonly resourceId: string;
  readonly resourceType: TaggableResourceType;
  readonly key: string;
  readonly value: string;
}

type Resource = TagWrite;

function tagsOf(resource: Resource): readonly Tag[] {
  if (resource.type === "instance") return resource.doc.record.tags;
  if (resource.type === "image") return resource.image.tags;
  return resource.template.tags;
}

function withTags(resource: Resource, tags: Tag[]): TagWrite {
  if (resource.type === "instance") return { type: "instance", doc: { ...resource.doc, record: { ...resource.doc.record, tags } } };
  if (resource.type === "image") return { type: "image", image: { ...resource.image, tags } };
  return { type: "launch-template", template: { ...resource.template, tags } };
}

function findImage(services: Ec2Services, scope: AccountScope, id: string): Resource {
  if (!isImageId(id)) throw imageIdMalformed(id);
  const image = services.store.images.get(id);
  if (image !== undefined && image.ownerId === scope.accountId && image.region === scope.region) return { type: "image", image };
  const visible =
    image !== undefined &&
    image.region === scope.region &&
    (image.isPublic || (image.launchPermissionUserIds ?? []).includes(scope.accountId));
  if (visible || PUBLIC_IMAGES.some((p) => p.imageId === id)) {
    // EC2 keeps per-account tags on images others own; the emulator keeps tags on the image itself.
    throw new DomainError("UnsupportedOperation", `Tagging the image '${id}', which is owned by another account, is not supported.`);
  }
  throw imageNotFound(id);
}

function findTemplate(services: Ec2Services, scope: AccountScope, id: string): Resource {
  if (!isLaunchTemplateId(id)) throw launchTemplateIdMalformed(id);
  const template = services.store.launchTemplates.get(id);
  if (template === undefined || template.accountId !== scope.accountId || template.region !== scope.region) {
    throw launchTemplateIdNotFound(id);
  }
  return { type: "launch-template", template };
}

function findResources(services: Ec2Services, scope: AccountScope, ids: readonly string[]): Resource[] {
  const instanceIds: string[] = [];
  const others: Resource[] = [];
  for (const id of ids) {
    const type = taggableResourceType(id);
    if (type === null) throw invalidResourceId(id);
    if (type === "instance") {
      if (!isInstanceId(id)) throw instanceIdMalformed(id);
      instanceIds.push(id);
    } else {
      others.push(type === "image" ? findImage(services, scope, id) : findTemplate(services, scope, id));
    }
  }
  const instances = findInstances(services, scope, instanceIds).map((doc): Resource => ({ type: "instance", doc }));
  return [...instances, ...others];
}

/** Validates the whole call, every resource included, before anything is written. */
export function planTagChange(services: Ec2Services, scope: AccountScope, resourceIds: readonly string[], operation: TagOperation): TagWrite[] {
  if (operation.kind === "create") for (const tag of operation.tags) assertUserTag(tag, "tagging");
  else for (const removal of operation.removals ?? []) if (isAwsReservedKey(removal.key)) throw reservedKeyError(removal.key, "tagging");
  return findResources(services, scope, [...new Set(resourceIds)]).map((resource) => {
    const current = tagsOf(resource);
    if (operation.kind === "delete") return withTags(resource, removeTags(current, operation.removals));
    const next = mergeTags(current, operation.tags);
    assertTagLimit(next);
    if (resource.type === "instance" && resource.doc.record.metadataOptions.instanceMetadataTags === "enabled") {
      for (const tag of operation.tags) {
        const problem = metadataTagKeyProblem(tag.key);
        if (problem !== null) throw new DomainError("InvalidParameterValue", problem);
      }
    }
    return withTags(resource, next);
  });
}

/** Sets only the tags on each resource as stored now, so other changes saved meanwhile are kept. */
export async function applyTagChange(services: Ec2Services, writes: readonly TagWrite[]): Promise<void> {
  for (const write of writes) {
    if (write.type === "instance") {
      const current = services.estate.get(write.doc.record.instanceId) ?? write.doc;
      await services.estate.save({ ...current, record: { ...current.record, tags: write.doc.record.tags } });
    } else if (write.type === "image") {
      const current = services.store.images.get(write.image.imageId) ?? write.image;
      services.store.images.put({ ...current, tags: write.image.tags });
    } else {
      const current = services.store.launchTemplates.get(write.template.templateId) ?? write.template;
      services.store.launchTemplates.put({ ...current, tags: write.template.tags });
    }
  }
}

/** Every tag of the account's resources in the region: instances, then images, then launch templates. */
export function tagDescriptions(services: Ec2Services, scope: AccountScope): TagDescription[] {
  const describe = (resourceId: string, resourceType: TaggableResourceType, tags: readonly Tag[]) =>
    tags.map((t): TagDescription => ({ resourceId, resourceType, key: t.key, value: t.value }));
  return [
    ...services.estate.list(scope).flatMap((d) => describe(d.record.instanceId, "instance", d.record.tags)),
    ...services.store.images.list(scope).flatMap((i) => describe(i.imageId, "image", i.tags)),
    ...services.store.launchTemplates.list(scope).flatMap((t) => describe(t.templateId, "launch-template", t.tags)),
  ];
}
