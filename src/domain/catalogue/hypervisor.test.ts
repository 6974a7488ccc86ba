import assert from "node:assert/strict";
import { test } from "node:test";
import { hypervisorSystem } from "./hypervisor.ts";

test("hypervisor: previous-generation and Xen-based current families say xen", () => {
  for (const t of ["m1.small", "m3.medium", "t1.micro", "t2.micro", "c4.large", "m4.xlarge", "r4.large", "i3.large", "p3.2xlarge", "x1e.xlarge"]) {
    assert.equal(hypervisorSystem(t), "xen", t);
  }
});

test("hypervisor: Nitro families, and Nitro members of Xen-era names, say nitro", () => {
  for (const t of ["m5.large", "t3.micro", "c7g.large", "m6i.metal", "i3.metal", "i3en.large", "p3dn.24xlarge", "mac1.metal", "u-6tb1.metal"]) {
    assert.equal(hypervisorSystem(t), "nitro", t);
  }
});
