import type { ImageBoot } from "./image-boot.ts";

/** An AMI as the configuration plane knows it; only ImdsSupport matters for metadata options. */
export interface ImageRecord {
  readonly imageId: string;
  /** Owner account, or "amazon" for the public images every account sees. */
  readonly ownerId: string;
  readonly region: string;
  readonly name: string;
  readonly description: string;
  readonly architecture: string;
  /** "v2.0" makes launches default to HttpTokens=required and hop limit 2; cannot be undone. */
  readonly imdsSupport: "v2.0" | null;
  readonly state: "available" | "deregistered";
  readonly isPublic: boolean;
  readonly creationDate: string;
  readonly rootDeviceName: string;
  readonly tags: readonly { readonly key: string; readonly value: string }[];
  /** RegisterImage's ImageLocation; absent, EC2 shows `<owner>/<name>` (see imageLocationOf). */
  readonly imageLocation?: string;
  /** Accounts given launch permission with ModifyImageAttribute (LaunchPermission UserId). */
  readonly launchPermissionUserIds?: readonly string[];
  /** RegisterImage's boot properties as given (image-boot.ts); absent on the built-in images. */
  readonly boot?: ImageBoot;
}

export const AMAZON_OWNER_ID = "137112412989";
export const AMAZON_OWNER_ALIAS = "amazon";

/**
 * Public images present in every region from the start: one like Amazon Linux 2023 (which
 * ships ImdsSupport=v2.0, AL2023 user guide) and older ones without it. Real AMI ids differ per
 * region; here the same ids serve every region (docs/behaviour.md).
 */
export const PUBLIC_IMAGES: readonly Omit<ImageRecord, "region">[] = Object.freeze([
  {
    // The image `imds-lab serve` launches its default instance from.
    imageId: "ami-0abcdef1234567890",
    ownerId: AMAZON_OWNER_ID,
    name: "imds-lab-default-x86_64",
    description: "imds-lab default instance image (no ImdsSupport)",
    architecture: "x86_64",
    imdsSupport: null,
    state: "available",
    isPublic: true,
    creationDate: "2024-01-01T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
    tags: [],
  },
  {
    imageId: "ami-0a3c3a20c09d6f377",
    ownerId: AMAZON_OWNER_ID,
    name: "al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64",
    description: "Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1",
    architecture: "x86_64",
    imdsSupport: "v2.0",
    state: "available",
    isPublic: true,
    creationDate: "2024-11-21T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
    tags: [],
  },
  {
    imageId: "ami-0453ec754f44f9a4a",
    ownerId: AMAZON_OWNER_ID,
    name: "amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2",
    description: "Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2",
    architecture: "x86_64",
    imdsSupport: null,
    state: "available",
    isPublic: true,
    creationDate: "2024-11-13T00:00:00.000Z",
    rootDeviceName: "/dev/xvda",
    tags: [],
  },
  {
    imageId: "ami-0e2c8caa4b6378d8c",
    ownerId: "099720109477",
    name: "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241119",
    description: "Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-11-19",
    architecture: "x86_64",
    imdsSupport: null,
    state: "available",
    isPublic: true,
    creationDate: "2024-11-19T00:00:00.000Z",
    rootDeviceName: "/dev/sda1",
    tags: [],
  },
]);

/** The default instance of `imds-lab serve` is launched from this image. */
export const DEFAULT_IMAGE_ID = "ami-0abcdef1234567890";
