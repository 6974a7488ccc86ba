import { hypervisorSystem } from "../catalogue/hypervisor.ts";

/**
 * DescribeInstances `cpuOptions` for an instance type, derived from its name rather than from a
 * table of every type: sizes up to `large` have one core, `xlarge` two, `Nxlarge` 2·N; x86 Nitro
 * types run two threads per core, Graviton (`g` in the family's attributes, `a1`) and Xen types
 * one. Close to https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-type-specifications.html
 * for common types, approximate for others (docs/behaviour.md#instance-members).
 */
export interface CpuOptions {
  readonly coreCount: number;
  readonly threadsPerCore: number;
}

export function cpuOptionsOf(instanceType: string, architecture: string): CpuOptions {
  const size = instanceType.split(".")[1] ?? "";
  const multiple = /^(\d+)xlarge$/.exec(size);
  const coreCount = multiple !== null ? 2 * Number(multiple[1]) : size === "xlarge" ? 2 : size === "metal" ? 48 : 1;
  const threadsPerCore = architecture === "arm64" || hypervisorSystem(instanceType) === "xen" ? 1 : 2;
  return { coreCount, threadsPerCore };
}
