/**
 * What `npm run bench` measures. Adding a scenario is one line in SCENARIOS; the runner starts
 * only the targets that the selected scenarios use.
 *
 * Header values and bodies may use placeholders the runner fills in before the load starts:
 *   {token}       an IMDSv2 session token issued by our emulator (one token reused by every request,
 *                 as SDKs cache theirs)
 *   {imageId}     (estate targets) an image the server knows: ours ami-0453ec754f44f9a4a, moto the
 *                 first ImageId of its DescribeImages
 *   {instanceId}  (estate targets) one instance of the seeded estate, from the middle of it
 *
 * The estate targets (ours-api, moto-api) are servers of their own, seeded with ESTATE_SIZE
 * instances (BENCH_ESTATE) before any measurement, so the IMDS scenarios are not run against a
 * process holding 10,000 instances and the empty-estate moto scenario stays empty.
 */

/** Where a scenario's requests go. Every target listens on 127.0.0.1 only. */
export type Target =
  /** our emulator's IMDS endpoint of the default instance */
  | "ours-imds"
  /** our emulator's EC2 Query API: a second `imds-lab serve --ephemeral` process, seeded with the estate */
  | "ours-api"
  /** bench/bare-server.ts: node:http replaying our IMDSv2 answer byte for byte */
  | "bare"
  /** moto_server (moto's IMDS stub and EC2 API), empty estate */
  | "moto"
  /** a second moto_server, seeded with the estate */
  | "moto-api"
  /** the IMDS endpoint (default instance) of the ours-api process: IMDS beside the 10,000-instance estate */
  | "ours-api-imds";

/** The estate targets: each is seeded with the estate before any measurement. */
export const ESTATE_TARGETS: readonly Target[] = ["ours-api", "moto-api"];
/** Instances seeded into each estate target (BENCH_ESTATE overrides it), in RunInstances calls of ESTATE_BATCH. */
export const ESTATE_SIZE = 10_000;
/** Instances per seeding RunInstances call: our API's limit per call. */
export const ESTATE_BATCH = 100;

export type Method = "GET" | "HEAD" | "PUT" | "POST" | "DELETE";

export interface Scenario {
  readonly name: string;
  readonly target: Target;
  readonly method: Method;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The status every answer must have for the run to count (default 200). */
  readonly expectStatus?: number;
  /** Concurrent connections for this scenario (default: BENCH_CONNECTIONS). */
  readonly connections?: number;
  /**
   * Each measurement stops after this many answers (each warm-up after a fifth of them, none when
   * that is less than one); the duration stays the time bound. A measurement of such a scenario
   * disturbed by foreign load is kept (marked), not taken again. For scenarios that change the server, e.g. RunInstances, which
   * grows the estate by one instance per request.
   */
  readonly maxRequests?: number;
  /**
   * With maxRequests: the time bound of each measurement and warm-up (default BENCH_DURATION and
   * BENCH_WARMUP), for answers so slow that a few of them need longer than that.
   */
  readonly maxDurationS?: number;
  /** Every answered request adds one instance to the target's estate (counted, and reported). */
  readonly growsEstate?: boolean;
  /** The probe answer must list exactly this many <instanceId> elements (EC2 scenarios). */
  readonly expectInstances?: number;
  /** A fixed request rate (autocannon only): latency at a given load, not at saturation. */
  readonly ratePerSec?: number;
  /** Load put on the server meanwhile, by load generators of their own; measured is this scenario's latency under it. */
  readonly background?: readonly BackgroundLoad[];
  readonly description: string;
}

/** Requests another load generator sends during a measurement (the EC2 API while IMDS is measured). */
export interface BackgroundLoad {
  readonly name: string;
  readonly target: Target;
  readonly method: Method;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly connections: number;
}

const TOKEN_TTL = { "X-aws-ec2-metadata-token-ttl-seconds": "21600" };
const WITH_TOKEN = { "X-aws-ec2-metadata-token": "{token}" };
/** moto accepts any SigV4-shaped Authorization header; it reads only the region out of it. Ours (auth off by default) reads the region too. */
export const MOTO_SIGV4: Readonly<Record<string, string>> = {
  "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
  Authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=x",
};

/** What the API serves meanwhile in "ours-imds-p99-api-load": 3 full describes at a time, 2 filters at a time. */
const API_LOAD: readonly BackgroundLoad[] = [
  { name: "full DescribeInstances", target: "ours-api", method: "POST", path: "/", headers: MOTO_SIGV4, body: "Action=DescribeInstances&Version=2016-11-15", connections: 3 },
  { name: "wildcard tag filter", target: "ours-api", method: "POST", path: "/", headers: MOTO_SIGV4, body: "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag:Name&Filter.1.Value.1=*a*a*a*a*ab", connections: 2 },
];

// prettier-ignore
export const SCENARIOS: readonly Scenario[] = [
  { name: "bare-node",        target: "bare",      method: "GET",  path: "/latest/meta-data/instance-id", headers: WITH_TOKEN, description: "node:http replaying our IMDSv2 answer (ceiling)" },
  { name: "ours-v2-get",      target: "ours-imds", method: "GET",  path: "/latest/meta-data/instance-id", headers: WITH_TOKEN, description: "IMDSv2 GET, cached valid token" },
  { name: "ours-v1-get",      target: "ours-imds", method: "GET",  path: "/latest/meta-data/instance-id", description: "IMDSv1 GET, no token" },
  { name: "ours-token-put",   target: "ours-imds", method: "PUT",  path: "/latest/api/token", headers: TOKEN_TTL, description: "IMDSv2 token PUT (issues a token each time)" },
  { name: "moto-imds-get",    target: "moto",      method: "GET",  path: "/latest/meta-data/iam/security-credentials/", headers: WITH_TOKEN, description: "moto IMDS stub GET" },
  { name: "moto-token-put",   target: "moto",      method: "PUT",  path: "/latest/api/token", headers: TOKEN_TTL, description: "moto IMDS stub token PUT" },
  { name: "moto-ec2-describe-instances", target: "moto", method: "POST", path: "/", headers: MOTO_SIGV4, body: "Action=DescribeInstances&Version=2016-11-15", description: "moto EC2 API DescribeInstances (empty estate)" },
  // EC2 API with the estate (ESTATE_SIZE instances) seeded on both servers; each ours/moto pair next to each other.
  // Both get the same request bytes (moto needs the SigV4-shaped header; ours reads the region from it).
  // moto pages DescribeInstances by reservation (MaxResults counts reservations, 100 instances each
  // in the seeded estate), ours by instance: MaxResults=10 on moto is the same 1000-instance page.
  // moto needs ~6 s for that page: one connection (wrk's timeout is 10 s), and a measurement of 3
  // answers (time bound 40 s) rather than 10 s, in which only 1 would complete; no warm-up.
  { name: "ours-ec2-run-instances",    target: "ours-api", method: "POST", path: "/", headers: MOTO_SIGV4, connections: 10, maxRequests: 250, growsEstate: true, expectInstances: 1, body: "Action=RunInstances&Version=2016-11-15&ImageId={imageId}&MinCount=1&MaxCount=1", description: "RunInstances of 1 instance (estate grows by 1 per request)" },
  { name: "moto-ec2-run-instances",    target: "moto-api", method: "POST", path: "/", headers: MOTO_SIGV4, connections: 10, maxRequests: 250, growsEstate: true, expectInstances: 1, body: "Action=RunInstances&Version=2016-11-15&ImageId={imageId}&MinCount=1&MaxCount=1", description: "moto RunInstances of 1 instance (estate grows by 1 per request)" },
  { name: "ours-ec2-describe-filter",  target: "ours-api", method: "POST", path: "/", headers: MOTO_SIGV4, connections: 10, expectInstances: 1, body: "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-id&Filter.1.Value.1={instanceId}", description: "DescribeInstances, filter instance-id selecting 1 instance" },
  { name: "moto-ec2-describe-filter",  target: "moto-api", method: "POST", path: "/", headers: MOTO_SIGV4, connections: 10, expectInstances: 1, body: "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=instance-id&Filter.1.Value.1={instanceId}", description: "moto DescribeInstances, filter instance-id selecting 1 instance" },
  { name: "ours-ec2-describe-page",    target: "ours-api", method: "POST", path: "/", headers: MOTO_SIGV4, connections: 1, expectInstances: 1_000, body: "Action=DescribeInstances&Version=2016-11-15&MaxResults=1000", description: "DescribeInstances, first page of 1000 instances (MaxResults=1000)" },
  { name: "moto-ec2-describe-page",    target: "moto-api", method: "POST", path: "/", headers: MOTO_SIGV4, connections: 1, maxRequests: 3, maxDurationS: 40, expectInstances: 1_000, body: "Action=DescribeInstances&Version=2016-11-15&MaxResults=10", description: "moto DescribeInstances, first page of 1000 instances (MaxResults=10 reservations of 100)" },
  // Isolation (issue 11): the same IMDS GET on the estate server's own IMDS endpoint, at a fixed
  // rate (an SDK's traffic, not saturation), first with the API idle, then while several full
  // 10,000-instance DescribeInstances and a pathological wildcard filter run on the same process.
  { name: "ours-imds-p99-idle",     target: "ours-api-imds", method: "GET", path: "/latest/meta-data/instance-id", connections: 4, ratePerSec: 1_000, description: "IMDSv1 GET beside the estate, API idle (1000 req/s)" },
  { name: "ours-imds-p99-api-load", target: "ours-api-imds", method: "GET", path: "/latest/meta-data/instance-id", connections: 4, ratePerSec: 1_000, background: API_LOAD, description: "IMDSv1 GET beside the estate while the API serves full DescribeInstances and a wildcard filter (1000 req/s)" },
];

export interface Comparison {
  readonly label: string;
  readonly numerator: string;
  readonly denominator: string;
  /** Pass when numerator/denominator req/s >= this. */
  readonly atLeast?: number;
  readonly bar?: string;
}

/** Ratios of median req/s reported after the table; scenarios not run are skipped. */
export const COMPARISONS: readonly Comparison[] = [
  { label: "ours-v2 GET / bare node:http", numerator: "ours-v2-get", denominator: "bare-node", atLeast: 0.85, bar: "project bar >= 85 %" },
  { label: "ours-v1 GET / bare node:http", numerator: "ours-v1-get", denominator: "bare-node" },
  { label: "ours-v2 GET / moto IMDS GET", numerator: "ours-v2-get", denominator: "moto-imds-get", atLeast: 10, bar: "issue asks >= 10x moto" },
  { label: "ours token PUT / moto token PUT", numerator: "ours-token-put", denominator: "moto-token-put", atLeast: 10, bar: "issue asks >= 10x moto" },
  { label: "ours RunInstances / moto RunInstances (estate)", numerator: "ours-ec2-run-instances", denominator: "moto-ec2-run-instances" },
  { label: "ours DescribeInstances filter / moto (estate)", numerator: "ours-ec2-describe-filter", denominator: "moto-ec2-describe-filter" },
  { label: "ours DescribeInstances 1000-page / moto (estate)", numerator: "ours-ec2-describe-page", denominator: "moto-ec2-describe-page" },
];

/** Our IMDS scenarios' p99 must stay under this (issue: p99 < 5 ms). */
export const P99_LIMIT_MS = 5;
export const P99_SCENARIO_PREFIX = "ours-";
/** The p99 bar is about the IMDS; the EC2 API scenarios are not judged by it. */
export const P99_TARGETS: readonly Target[] = ["ours-imds"];
