/**
 * AMI use cases: register, describe, read and change one attribute, deregister. Each loads what
 * it needs, lets the domain decide, and saves only when everything was accepted, so a refused
 * call leaves the store as it was.
 */
import type { ImageBoot } from "../domain/images/image-boot.ts";
import { applyImageAttributeChange, type ImageAttributeChange } from "../domain/images/image-attributes.ts";
import { duplicateImageName, imageNotFound } from "../domain/images/image-errors.ts";
import { imageMatchesOwners } from "../domain/images/image-owners.ts";
import { assertImageOwner, type Architecture, type ImdsSupport } from "../domain/images/image-rules.ts";
import type { ImageRecord } from "../domain/images/image.ts";
import type { Tag } from "../domain/instance/instance.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { ImageCatalogue } from "./image-catalogue.ts";
import type { IdSource, ImageRepository } from "./ports.ts";

type ImageScope = AccountScope;

export interface RegisterImageInput {
  readonly name: string;
  readonly description: string;
  readonly architecture: Architecture;
  readonly rootDeviceName: string;
  readonly imdsSupport: ImdsSupport | null;
  readonly imageLocation: string | undefined;
  readonly tags: readonly Tag[];
  readonly boot?: ImageBoot;
}

export interface DescribeImagesQuery {
  readonly imageIds: readonly string[];
  readonly owners: readonly string[];
  /** Filter.N already compiled (names checked at parse time). */
  readonly matchesFilters: (image: ImageRecord) => boolean;
}

/** Real ids are random; a collision with a stored or built-in id is retried rather than overwritten. */
const MAX_ID_ATTEMPTS = 16;

export interface ImageServicePorts {
  readonly images: ImageRepository;
  readonly catalogue: ImageCatalogue;
  readonly ids: IdSource;
}

export class ImageService {
  constructor(private readonly ports: ImageServicePorts) {}

  register(scope: ImageScope, input: RegisterImageInput, nowMs: number): ImageRecord {
    // "AMI names must be unique per account and Region" (EC2 error page, InvalidAMIName.Duplicate).
    const clash = this.ports.images.list(scope).find((image) => image.name === input.name);
    if (clash !== undefined) throw duplicateImageName(input.name, clash.imageId);
    const image: ImageRecord = {
      imageId: this.newImageId(),
      ownerId: scope.accountId,
      region: scope.region,
      name: input.name,
      description: input.description,
      architecture: input.architecture,
      imdsSupport: input.imdsSupport,
      state: "available",
      isPublic: false,
      creationDate: new Date(nowMs).toISOString(),
      rootDeviceName: input.rootDeviceName,
      tags: [...input.tags],
      ...(input.imageLocation === undefined ? {} : { imageLocation: input.imageLocation }),
      ...(input.boot === undefined || Object.keys(input.boot).length === 0 ? {} : { boot: input.boot }),
    };
    this.ports.images.put(image);
    return image;
  }

  /**
   * ImageId.N must all be visible (else one NotFound listing the missing ones); Owner.N and
   * Filter.N then narrow the result without failing it.
   */
  describe(scope: ImageScope, query: DescribeImagesQuery): ImageRecord[] {
    let images = this.ports.catalogue.visible(scope);
    if (query.imageIds.length > 0) {
      const wanted = new Set(query.imageIds);
      const missing = [...wanted].filter((id) => !images.some((image) => image.imageId === id));
      if (missing.length > 0) throw imageNotFound(missing);
      images = images.filter((image) => wanted.has(image.imageId));
    }
    return images.filter((image) => imageMatchesOwners(image, query.owners, scope.accountId) && query.matchesFilters(image));
  }

  /** DescribeImageAttribute: only the owner may read attributes (EC2: AuthFailure "Not authorized for image"). */
  ownedImage(scope: ImageScope, imageId: string): ImageRecord {
    const image = this.ports.catalogue.findVisible(scope, imageId);
    if (image === undefined) throw imageNotFound([imageId]);
    return assertImageOwner(image, scope.accountId);
  }

  modifyAttribute(scope: ImageScope, imageId: string, change: ImageAttributeChange): ImageRecord {
    const next = applyImageAttributeChange(this.ownedImage(scope, imageId), change);
    this.ports.images.put(next);
    return next;
  }

  /** The image is gone at once: no longer described, launched or counted against its name. */
  deregister(scope: ImageScope, imageId: string): void {
    const image = this.ownedImage(scope, imageId);
    this.ports.images.delete(image.imageId);
  }

  private newImageId(): string {
    for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
      const id = `ami-${this.ports.ids.hex(17)}`;
      if (!this.ports.catalogue.isTaken(id)) return id;
    }
    throw new Error("image-service: could not find a free image id");
  }
}
