import assert from "node:assert/strict";
import { test } from "node:test";
import { cpuOptionsOf } from "./cpu-options.ts";

test("cpu options: cores from the size, two threads on x86 Nitro, one on Graviton and Xen", () => {
  assert.deepEqual(cpuOptionsOf("t3.micro", "x86_64"), { coreCount: 1, threadsPerCore: 2 });
  assert.deepEqual(cpuOptionsOf("m5.xlarge", "x86_64"), { coreCount: 2, threadsPerCore: 2 });
  assert.deepEqual(cpuOptionsOf("m5.4xlarge", "x86_64"), { coreCount: 8, threadsPerCore: 2 });
  assert.deepEqual(cpuOptionsOf("c7g.2xlarge", "arm64"), { coreCount: 4, threadsPerCore: 1 });
  assert.deepEqual(cpuOptionsOf("m1.small", "x86_64"), { coreCount: 1, threadsPerCore: 1 });
});
