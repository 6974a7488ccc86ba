/**
 * The estate of the EC2 API scenarios: before any measurement, each estate target (ours-api,
 * moto-api) is seeded with the same number of instances through its own EC2 Query API, in
 * RunInstances calls of ESTATE_BATCH instances, one call at a time. The seeding is timed: it is a
 * measurement of its own (instances/s of RunInstances with MaxCount=100).
 */
import { MOTO_SIGV4 as EC2_HEADERS, type Target } from "../scenarios.ts";
import { rawRequest } from "./raw-http.ts";
import { median } from "./report.ts";

export interface SeedResult {
  readonly target: Target;
  /** Instances the server held before seeding (ours: its default instance). */
  readonly before: number;
  readonly instances: number;
  readonly calls: number;
  readonly batch: number;
  readonly seconds: number;
  readonly instancesPerSec: number;
  readonly callP50Ms: number;
  readonly callMaxMs: number;
}

export interface Estate {
  readonly imageId: string;
  /** An instance from the middle of the seeded estate (the filter scenario's target). */
  readonly sampleInstanceId: string;
  readonly seed: SeedResult;
  /** Instances the server holds now, counted by the runner: before + seeded + one per answered growing request. */
  size: number;
  /** Smallest and largest size at the start of a measurement (null before any). */
  measuredMin: number | null;
  measuredMax: number | null;
}

const INSTANCE_ID = /<instanceId>(i-[0-9a-f]+)<\/instanceId>/g;
const IMAGE_ID = /<imageId>(ami-[0-9a-zA-Z]+)<\/imageId>/;

export function instanceIds(xml: string): string[] {
  return [...xml.matchAll(INSTANCE_ID)].map((m) => m[1]!);
}

async function ec2(base: string, body: string, timeoutMs = 120_000): Promise<string> {
  const answer = await rawRequest(base, { method: "POST", path: "/", headers: EC2_HEADERS, body }, timeoutMs);
  const text = answer.body.toString("utf8");
  if (answer.status !== 200) throw new Error(`${base} ${body.split("&")[0]}: status ${answer.status}: ${text.slice(0, 400)}`);
  return text;
}

/** Seeds `size` instances (tag Name=web-<call>) and returns what the scenarios need from the estate. */
export async function seedEstate(target: Target, base: string, size: number, batch: number, log: (message: string) => void): Promise<Estate> {
  // An image the server knows: moto validates it; ours accepts any, but both get the same treatment.
  const images = await ec2(base, "Action=DescribeImages&Version=2016-11-15");
  const imageId = IMAGE_ID.exec(images)?.[1];
  if (imageId === undefined) throw new Error(`${target}: DescribeImages listed no image`);
  const before = instanceIds(await ec2(base, "Action=DescribeInstances&Version=2016-11-15")).length;

  const calls = Math.ceil(size / batch);
  const sampleCall = Math.floor(calls / 2);
  let sampleInstanceId: string | undefined;
  const callMs: number[] = [];
  let seeded = 0;
  log(`  seeding ${target}: ${size} instances in ${calls} RunInstances calls of up to ${batch} (image ${imageId}) ...`);
  const start = performance.now();
  for (let call = 0; call < calls; call++) {
    const count = Math.min(batch, size - seeded);
    const body =
      `Action=RunInstances&Version=2016-11-15&ImageId=${imageId}&MinCount=${count}&MaxCount=${count}` +
      `&TagSpecification.1.ResourceType=instance&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=web-${call + 1}`;
    const t0 = performance.now();
    const ids = instanceIds(await ec2(base, body));
    callMs.push(performance.now() - t0);
    if (ids.length !== count) throw new Error(`${target}: RunInstances of ${count} returned ${ids.length} instances`);
    if (call === sampleCall) sampleInstanceId = ids[Math.floor(ids.length / 2)];
    seeded += count;
  }
  const seconds = (performance.now() - start) / 1_000;
  const seed: SeedResult = {
    target,
    before,
    instances: seeded,
    calls,
    batch,
    seconds,
    instancesPerSec: seeded / seconds,
    callP50Ms: median(callMs),
    callMaxMs: Math.max(...callMs),
  };
  log(`  seeded ${target}: ${seeded} instances in ${seconds.toFixed(1)} s = ${Math.round(seed.instancesPerSec)} instances/s (call p50 ${seed.callP50Ms.toFixed(0)} ms, max ${seed.callMaxMs.toFixed(0)} ms)`);
  return { imageId, sampleInstanceId: sampleInstanceId!, seed, size: before + seeded, measuredMin: null, measuredMax: null };
}
