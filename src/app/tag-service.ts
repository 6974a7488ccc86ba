/**
 * CreateTags / DeleteTags / DescribeTags over the resources the emulator keeps: instances, the
 * account's own registered images and its launch templates. Instance tag changes are saved
 * through the estate, so `meta-data/tags/instance/` shows them at once ("the instance metadata is
 * updated while the instance is running", docs/sources.md#tags-in-instance-metadata).
 */
import { DomainError } from "../domain/errors.ts";
import { imageNotFound } from "../domain/images/image-errors.ts";
import type { ImageRecord } from "../domain/images/image.ts";
import type { Instance, Tag } from "../domain/instance/instance.ts";
import {
  imageIdMalformed,
  instanceIdMalformed,
  invalidResourceId,
  launchTemplateIdMalformed,
} from "../domain/instance/resource-errors.ts";
import { isImageId, isInstanceId, isLaunchTemplateId, taggableResourceType, type TaggableResourceType } from "../domain/instance/resource-ids.ts";
import type { LaunchTemplateRecord } from "../domain/launch-templates/launch-template.ts";
import { launchTemplateIdNotFound } from "../domain/launch-templates/launch-template-errors.ts";
import type { AccountScope } from "../domain/scope.ts";
import { assertTagKeysAllowedInMetadata } from "../domain/tags/metadata-tag-keys.ts";
import { assertTagLimit, assertUserTag, isAwsReservedKey, mergeTags, removeTags, reservedKeyError, type TagRemoval } from "../domain/tags/tag-rules.ts";
import type { Estate } from "./estate.ts";
import type { ImageCatalogue } from "./image-catalogue.ts";
import type { InstanceService } from "./instance-service.ts";
import type { ImageRepository, LaunchTemplateRepository } from "./ports.ts";

export type TagOperation =
  | { readonly kind: "create"; readonly tags: readonly Tag[] }
  /** `removals` undefined: every user tag (DeleteTags without Tag.N). */
  | { readonly kind: "delete"; readonly removals: readonly TagRemoval[] | undefined };

export type TagWrite =
  | { readonly type: "instance"; readonly instance: Instance }
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
  if (resource.type === "instance") return resource.instance.record.tags;
  if (resource.type === "image") return resource.image.tags;
  return resource.template.tags;
}

function withTags(resource: Resource, tags: Tag[]): TagWrite {
  if (resource.type === "instance") return { type: "instance", instance: { ...resource.instance, record: { ...resource.instance.record, tags } } };
  if (resource.type === "image") return { type: "image", image: { ...resource.image, tags } };
  return { type: "launch-template", template: { ...resource.template, tags } };
}

export interface TagPorts {
  readonly estate: Estate;
  readonly instances: InstanceService;
  readonly images: ImageRepository;
  readonly catalogue: ImageCatalogue;
  readonly templates: LaunchTemplateRepository;
}

export class TagService {
  constructor(private readonly ports: TagPorts) {}

  private findImage(scope: AccountScope, id: string): Resource {
    if (!isImageId(id)) throw imageIdMalformed(id);
    const image = this.ports.catalogue.stored(id);
    if (image !== undefined && image.ownerId === scope.accountId && image.region === scope.region) return { type: "image", image };
    const visible =
      image !== undefined &&
      image.region === scope.region &&
      (image.isPublic || (image.launchPermissionUserIds ?? []).includes(scope.accountId));
    if (visible || this.ports.catalogue.isPublicImage(id)) {
      // EC2 keeps per-account tags on images others own; the emulator keeps tags on the image itself.
      throw new DomainError("UnsupportedOperation", `Tagging the image '${id}', which is owned by another account, is not supported.`);
    }
    throw imageNotFound([id]);
  }

  private findTemplate(scope: AccountScope, id: string): Resource {
    if (!isLaunchTemplateId(id)) throw launchTemplateIdMalformed(id);
    const template = this.ports.templates.get(id);
    if (template === undefined || template.accountId !== scope.accountId || template.region !== scope.region) {
      throw launchTemplateIdNotFound(id);
    }
    return { type: "launch-template", template };
  }

  private findResources(scope: AccountScope, ids: readonly string[]): Resource[] {
    const instanceIds: string[] = [];
    const others: Resource[] = [];
    for (const id of ids) {
      const type = taggableResourceType(id);
      if (type === null) throw invalidResourceId(id);
      if (type === "instance") {
        if (!isInstanceId(id)) throw instanceIdMalformed(id);
        instanceIds.push(id);
      } else {
        others.push(type === "image" ? this.findImage(scope, id) : this.findTemplate(scope, id));
      }
    }
    const instances = this.ports.instances.find(scope, instanceIds).map((instance): Resource => ({ type: "instance", instance }));
    return [...instances, ...others];
  }

  /** Validates the whole call, every resource included, before anything is written. */
  planTagChange(scope: AccountScope, resourceIds: readonly string[], operation: TagOperation): TagWrite[] {
    if (operation.kind === "create") for (const tag of operation.tags) assertUserTag(tag, "tagging");
    else for (const removal of operation.removals ?? []) if (isAwsReservedKey(removal.key)) throw reservedKeyError(removal.key, "tagging");
    return this.findResources(scope, [...new Set(resourceIds)]).map((resource) => {
      const current = tagsOf(resource);
      if (operation.kind === "delete") return withTags(resource, removeTags(current, operation.removals));
      const next = mergeTags(current, operation.tags);
      assertTagLimit(next);
      if (resource.type === "instance" && resource.instance.record.metadataOptions.instanceMetadataTags === "enabled") {
        assertTagKeysAllowedInMetadata(operation.tags);
      }
      return withTags(resource, next);
    });
  }

  /** Sets only the tags on each resource as stored now, so other changes saved meanwhile are kept. */
  async applyTagChange(writes: readonly TagWrite[]): Promise<void> {
    for (const write of writes) {
      if (write.type === "instance") {
        const current = this.ports.estate.get(write.instance.record.instanceId) ?? write.instance;
        await this.ports.estate.save({ ...current, record: { ...current.record, tags: write.instance.record.tags } });
      } else if (write.type === "image") {
        const current = this.ports.images.get(write.image.imageId) ?? write.image;
        this.ports.images.put({ ...current, tags: write.image.tags });
      } else {
        const current = this.ports.templates.get(write.template.templateId) ?? write.template;
        this.ports.templates.put({ ...current, tags: write.template.tags });
      }
    }
  }

  /** Every tag of the account's resources in the region: instances, then images, then launch templates. */
  tagDescriptions(scope: AccountScope): TagDescription[] {
    const describe = (resourceId: string, resourceType: TaggableResourceType, tags: readonly Tag[]) =>
      tags.map((t): TagDescription => ({ resourceId, resourceType, key: t.key, value: t.value }));
    return [
      ...this.ports.estate.list(scope).flatMap((d) => describe(d.record.instanceId, "instance", d.record.tags)),
      ...this.ports.images.list(scope).flatMap((i) => describe(i.imageId, "image", i.tags)),
      ...this.ports.templates.list(scope).flatMap((t) => describe(t.templateId, "launch-template", t.tags)),
    ];
  }
}
