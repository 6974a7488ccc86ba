import { DomainError } from "../errors.ts";

/**
 * How an AMI boots, as RegisterImage takes it and DescribeImages shows it (EC2 API reference,
 * RegisterImage: BootMode, TpmSupport, EnaSupport, SriovNetSupport, KernelId, RamdiskId,
 * VirtualizationType). Kept as given; only what was given is shown. See docs/behaviour.md#image-boot.
 */
export const BOOT_MODES = ["legacy-bios", "uefi", "uefi-preferred"] as const;
export const VIRTUALIZATION_TYPES = ["hvm", "paravirtual"] as const;

export interface ImageBoot {
  readonly bootMode?: (typeof BOOT_MODES)[number];
  readonly tpmSupport?: "v2.0";
  readonly enaSupport?: boolean;
  readonly sriovNetSupport?: "simple";
  readonly kernelId?: string;
  readonly ramdiskId?: string;
  readonly virtualizationType?: (typeof VIRTUALIZATION_TYPES)[number];
}

/** The raw RegisterImage fields, undefined when absent. */
export interface ImageBootFields {
  readonly bootMode?: string | undefined;
  readonly tpmSupport?: string | undefined;
  readonly enaSupport?: boolean | undefined;
  readonly sriovNetSupport?: string | undefined;
  readonly kernelId?: string | undefined;
  readonly ramdiskId?: string | undefined;
  readonly virtualizationType?: string | undefined;
}

function invalid(name: string, value: string): DomainError {
  return new DomainError("InvalidParameterValue", `Value (${value}) for parameter ${name} is invalid.`);
}

function oneOf<T extends string>(values: readonly T[], name: string, value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw invalid(name, value);
  return value as T;
}

/** Checks each field; NitroTPM needs UEFI boot mode (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/nitrotpm.html). */
export function parseImageBoot(fields: ImageBootFields): ImageBoot {
  const bootMode = oneOf(BOOT_MODES, "BootMode", fields.bootMode);
  const tpmSupport = oneOf(["v2.0"] as const, "TpmSupport", fields.tpmSupport);
  const sriovNetSupport = oneOf(["simple"] as const, "SriovNetSupport", fields.sriovNetSupport);
  const virtualizationType = oneOf(VIRTUALIZATION_TYPES, "VirtualizationType", fields.virtualizationType);
  if (fields.kernelId !== undefined && !/^aki-[0-9a-f]{8,17}$/.test(fields.kernelId)) throw invalid("KernelId", fields.kernelId);
  if (fields.ramdiskId !== undefined && !/^ari-[0-9a-f]{8,17}$/.test(fields.ramdiskId)) throw invalid("RamdiskId", fields.ramdiskId);
  if (tpmSupport !== undefined && bootMode !== "uefi") {
    throw new DomainError("InvalidParameterCombination", "TpmSupport v2.0 requires BootMode uefi.");
  }
  return {
    ...(bootMode === undefined ? {} : { bootMode }),
    ...(tpmSupport === undefined ? {} : { tpmSupport }),
    ...(fields.enaSupport === undefined ? {} : { enaSupport: fields.enaSupport }),
    ...(sriovNetSupport === undefined ? {} : { sriovNetSupport }),
    ...(fields.kernelId === undefined ? {} : { kernelId: fields.kernelId }),
    ...(fields.ramdiskId === undefined ? {} : { ramdiskId: fields.ramdiskId }),
    ...(virtualizationType === undefined ? {} : { virtualizationType }),
  };
}
