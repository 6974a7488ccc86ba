/**
 * What the metadata key `system` answers for an instance type: `xen` on instance types built on
 * the Xen hypervisor, `nitro` on the Nitro System. The Nitro list is
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-nitro-instances.html ; every family
 * not on it is Xen-based: all previous-generation families
 * (https://docs.aws.amazon.com/ec2/latest/instancetypes/pg.html) and the Xen-based current ones
 * (C4, D2, G3, I2, I3, M4, P2, P3, R4, T2, X1, X1e). The exceptions inside Xen families are
 * i3.metal (p3dn and i3en are families of their own, on Nitro). See docs/behaviour.md#imds-system.
 */
export type HypervisorSystem = "xen" | "nitro";

const XEN_FAMILIES: ReadonlySet<string> = new Set<string>([
  // previous generation
  "c1", "c3", "cc1", "cc2", "cg1", "cr1", "g2", "hi1", "hs1", "i2", "m1", "m2", "m3", "r3", "t1",
  // current generation on Xen
  "c4", "d2", "f1", "g3", "g3s", "h1", "i3", "m4", "p2", "p3", "r4", "t2", "x1", "x1e",
]);

const NITRO_EXCEPTIONS: ReadonlySet<string> = new Set(["i3.metal"]);

export function hypervisorSystem(instanceType: string): HypervisorSystem {
  if (NITRO_EXCEPTIONS.has(instanceType)) return "nitro";
  const family = instanceType.split(".", 1)[0] ?? "";
  return XEN_FAMILIES.has(family) ? "xen" : "nitro";
}
