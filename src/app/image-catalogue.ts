/**
 * Every AMI the emulator knows: the built-in public images (every Region) and the images accounts
 * registered (src/app/ports.ts ImageRepository). The one place that answers "which image is this,
 * and may this account see or launch it".
 */
import { imageNotFound } from "../domain/images/image-errors.ts";
import { isImageVisibleTo } from "../domain/images/image-rules.ts";
import { PUBLIC_IMAGES, type ImageRecord } from "../domain/images/image.ts";
import { imageIdMalformed } from "../domain/instance/resource-errors.ts";
import { isImageId } from "../domain/instance/resource-ids.ts";
import type { AccountScope } from "../domain/scope.ts";
import type { ImageRepository } from "./ports.ts";

/** A public image has no Region of its own: it is offered in every Region. */
export type CatalogueImage = Omit<ImageRecord, "region"> & { readonly region?: string };

export class ImageCatalogue {
  constructor(private readonly images: ImageRepository) {}

  /**
   * What the account sees in the region, built-in public images first, then registered ones in
   * registration order: its own, other accounts' public ones and those shared with it.
   * Deregistered ones are gone.
   */
  visible(scope: AccountScope): ImageRecord[] {
    const builtIn = PUBLIC_IMAGES.map((image): ImageRecord => ({ ...image, region: scope.region }));
    const registered = this.images
      .list()
      .filter((image) => image.region === scope.region && image.state === "available" && isImageVisibleTo(image, scope.accountId));
    return [...builtIn, ...registered];
  }

  findVisible(scope: AccountScope, imageId: string): ImageRecord | undefined {
    return this.visible(scope).find((image) => image.imageId === imageId);
  }

  /** An AMI the account may launch in the region, or EC2's malformed / NotFound error. */
  findLaunchable(scope: AccountScope, imageId: string): ImageRecord {
    if (!isImageId(imageId)) throw imageIdMalformed(imageId);
    const image = this.findVisible(scope, imageId);
    if (image === undefined) throw imageNotFound([imageId]);
    return image;
  }

  /** The image by id, whoever owns it and wherever it is (explain and authorization read it). */
  find(imageId: string): CatalogueImage | undefined {
    return this.images.get(imageId) ?? PUBLIC_IMAGES.find((image) => image.imageId === imageId);
  }

  /** Every registered image of every account and Region, in registration order. */
  registered(): ImageRecord[] {
    return this.images.list();
  }

  /** A stored image of the account (tags and attributes change only those). */
  stored(imageId: string): ImageRecord | undefined {
    return this.images.get(imageId);
  }

  isPublicImage(imageId: string): boolean {
    return PUBLIC_IMAGES.some((image) => image.imageId === imageId);
  }

  /** Whether an id is taken, by a stored or a built-in image. */
  isTaken(imageId: string): boolean {
    return this.images.get(imageId) !== undefined || this.isPublicImage(imageId);
  }
}
