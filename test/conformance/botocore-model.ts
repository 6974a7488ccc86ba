/**
 * botocore's EC2 service model, read at test time from the installed botocore (python3), never
 * copied into the repository. Undefined when python3 or botocore is missing: the caller skips.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export interface ModelMember {
  readonly shape: string;
  readonly locationName?: string;
}
export interface ModelShape {
  readonly type: string;
  readonly members?: Record<string, ModelMember>;
  readonly member?: ModelMember;
  readonly enum?: readonly string[];
}
export interface Ec2Model {
  readonly operations: Record<string, { readonly input?: { shape: string }; readonly output?: { shape: string } }>;
  readonly shapes: Record<string, ModelShape>;
  readonly path: string;
}

export function loadEc2Model(): Ec2Model | undefined {
  const found = spawnSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], { encoding: "utf8", timeout: 30_000 });
  if (found.status !== 0) return undefined;
  const dir = join(found.stdout.trim(), "data", "ec2", "2016-11-15");
  const plain = join(dir, "service-2.json");
  const path = existsSync(plain) ? plain : `${plain}.gz`;
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  const model = JSON.parse((path.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8")) as Omit<Ec2Model, "path">;
  return { ...model, path };
}
