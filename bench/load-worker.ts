/**
 * One load run in its own process, so the runner can pin the load generator to a core of its own
 * (taskset -c 1). argv[2] is a JSON LoadRequest; the summary is printed as one JSON line.
 *
 * mode "autocannon": autocannon with keep-alive connections (the normal case).
 * mode "node-http": `connections` loops of node:http requests, a new connection each (agent
 *   without keep-alive). For servers that answer `Connection: close` (moto) when wrk is missing:
 *   autocannon writes its next request onto the closing socket and then waits for its timeout.
 */
import autocannon from "autocannon";
import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";

export interface LoadRequest {
  readonly mode: "autocannon" | "node-http";
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  readonly durationS: number;
  /** Stop after this many answers (durationS stays the time bound); the rate is then answers / time to the last one. */
  readonly maxRequests?: number;
  /** autocannon only: requests per second over all connections (unset: as fast as the server answers). */
  readonly ratePerSec?: number;
}

export interface LoadSummary {
  readonly reqPerSec: number;
  readonly totalRequests: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly errors: number;
  readonly statusCounts: Record<string, number>;
}

const request = JSON.parse(process.argv[2] ?? "{}") as LoadRequest;
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(request.url)) {
  process.stderr.write(`load-worker: refusing a target that is not 127.0.0.1: ${request.url}\n`);
  process.exit(2);
}

async function runAutocannon(): Promise<LoadSummary> {
  const start = performance.now();
  let lastAnswer = start;
  const instance = autocannon({
    url: request.url,
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections: request.connections,
    duration: request.durationS,
    // With a limit, each connection stops after its share; the duration stays the time bound.
    ...(request.maxRequests !== undefined ? { maxOverallRequests: request.maxRequests } : {}),
    ...(request.ratePerSec !== undefined ? { overallRate: request.ratePerSec } : {}),
    timeout: 10,
  });
  instance.on("response", () => {
    lastAnswer = performance.now();
  });
  const result = await instance;
  const statusCounts: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCounts[code] = stat.count;
  // autocannon notices that every connection is done only at its next 1 s sample, and averages
  // per-second samples: for a run bounded by a request count, time it here.
  const bounded = request.maxRequests !== undefined && lastAnswer > start;
  return {
    reqPerSec: bounded ? result.requests.total / ((lastAnswer - start) / 1_000) : result.requests.average,
    totalRequests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.timeouts,
    statusCounts,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runNodeHttp(): Promise<LoadSummary> {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let errors = 0;
  const start = performance.now();
  const end = start + request.durationS * 1_000;
  let started = 0;
  const more = () => performance.now() < end && (request.maxRequests === undefined || started++ < request.maxRequests);
  const one = () =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = httpRequest(request.url, { method: request.method, headers: request.headers, agent }, (res) => {
        res.resume();
        res.once("end", () => {
          latencies.push(performance.now() - t0);
          statusCounts[res.statusCode ?? 0] = (statusCounts[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
        res.once("error", () => {
          errors++;
          resolve();
        });
      });
      req.setTimeout(10_000, () => req.destroy(new Error("timeout")));
      req.once("error", () => {
        errors++;
        resolve();
      });
      req.end(request.body);
    });
  await Promise.all(
    Array.from({ length: request.connections }, async () => {
      while (more()) await one();
    }),
  );
  const elapsedS = (performance.now() - start) / 1_000;
  latencies.sort((a, b) => a - b);
  return {
    reqPerSec: latencies.length / elapsedS,
    totalRequests: latencies.length,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? Number.NaN },
    errors,
    statusCounts,
  };
}

const summary = request.mode === "node-http" ? await runNodeHttp() : await runAutocannon();
process.stdout.write(`${JSON.stringify(summary)}\n`);
