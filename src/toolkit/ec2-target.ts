/**
 * Where the toolkit's EC2 calls go: AWS itself (standard credential chain, the Region's own
 * endpoint) or any EC2-compatible endpoint such as imds-lab (`--endpoint-url`).
 */
import { DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AWS_REGIONS } from "../domain/regions.ts";

export interface AwsTarget {
  /** An EC2-compatible endpoint; undefined means AWS's own endpoint for each Region. */
  readonly endpoint?: string;
  /** A named profile of the shared config files; undefined follows the default chain. */
  readonly profile?: string;
  /** Fixed keys instead of the credential chain (tests, and the role assumed in each account). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

export type Ec2Target = AwsTarget;

export type ClientFactory = (region: string) => EC2Client;

/** An SDK client's configuration for a target in one Region; throttling is retried with the SDK's backoff. */
export function clientConfig(target: AwsTarget, region: string) {
  return {
    region,
    ...(target.endpoint !== undefined ? { endpoint: target.endpoint } : {}),
    ...(target.profile !== undefined ? { profile: target.profile } : {}),
    ...(target.credentials !== undefined ? { credentials: target.credentials } : {}),
    maxAttempts: 5,
  };
}

/** One client per Region, made on first use and reused. */
export function perRegion<Client>(make: (region: string) => Client): (region: string) => Client {
  const clients = new Map<string, Client>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

export function ec2ClientFactory(target: Ec2Target): ClientFactory {
  return perRegion((region) => new EC2Client(clientConfig(target, region)));
}

/**
 * The commercial Regions as of this writing: `--regions all` uses it when the endpoint has no
 * DescribeRegions (imds-lab does not implement it).
 */
export const KNOWN_REGIONS: readonly string[] = AWS_REGIONS;

/**
 * `all` -> the Regions enabled for the account (DescribeRegions, asked in `homeRegion`); where the
 * endpoint lacks the action, the built-in list. Otherwise a comma-separated list, as given.
 */
export async function resolveRegions(spec: string, clients: ClientFactory, homeRegion: string): Promise<{ regions: string[]; source: "list" | "DescribeRegions" | "built-in" }> {
  if (spec.trim() !== "all") {
    const regions = [...new Set(spec.split(",").map((r) => r.trim()).filter((r) => r !== ""))];
    return { regions, source: "list" };
  }
  try {
    const answer = await clients(homeRegion).send(new DescribeRegionsCommand({}));
    const regions = (answer.Regions ?? []).map((r) => r.RegionName ?? "").filter((r) => r !== "").sort();
    if (regions.length > 0) return { regions, source: "DescribeRegions" };
  } catch (err) {
    if (!isUnsupportedAction(err)) throw err;
  }
  return { regions: [...KNOWN_REGIONS], source: "built-in" };
}

function isUnsupportedAction(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? "";
  return name === "InvalidAction" || name === "UnsupportedOperation" || name === "UnknownOperationException";
}
