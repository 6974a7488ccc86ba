/**
 * CloudWatch on the API endpoint: recognises a CloudWatch request in any of its protocols,
 * authenticates it (SigV4, signing name `monitoring`, with `--auth verify`), scopes it to the
 * caller's account and the Region of its signature, runs the operation and answers in the
 * request's own protocol.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDomainError } from "../domain/errors.ts";
import { CloudWatchError, fromAuthenticationCode } from "./cloudwatch-error.ts";
import { OPERATIONS, type CloudWatchScope, type MetricSource } from "./cloudwatch-operations.ts";
import { WIRE_PROTOCOLS, type WireProtocol, type WireRequest } from "./wire-protocols.ts";

export interface CloudWatchApiDeps {
  readonly source: MetricSource;
  readonly defaultRegion: string;
  readonly accountOf: (accessKeyId: string | undefined) => string;
  /** SigV4 verification for the `monitoring` signing name; absent when `--auth` is off. */
  /** Awaited before an operation reads the store, so it counts every request answered so far. */
  readonly settle?: () => Promise<void>;
  readonly authenticate?: (request: { method: string; path: string; query: string; headers: IncomingMessage["headers"]; body: Buffer }) => void | Promise<void>;
}

export interface AwsServiceRoute {
  accepts(req: IncomingMessage, path: string, body: Buffer): boolean;
  route(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
}

function wireRequest(req: IncomingMessage, body: Buffer): WireRequest {
  const url = req.url ?? "/";
  const at = url.indexOf("?");
  return { path: at < 0 ? url : url.slice(0, at), query: at < 0 ? "" : url.slice(at + 1), headers: req.headers, body };
}

/** The Region and access key of the SigV4 credential scope (header or presigned query). */
function credentialScope(request: WireRequest): { accessKeyId: string | undefined; region: string | undefined } {
  const auth = String(request.headers.authorization ?? "");
  const fromQuery = new URLSearchParams(request.query).get("X-Amz-Credential") ?? "";
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\//.exec(auth) ?? /^([^/]+)\/\d{8}\/([^/]+)\//.exec(fromQuery);
  return { accessKeyId: match?.[1], region: match?.[2] };
}

export function createCloudWatchApi(deps: CloudWatchApiDeps): AwsServiceRoute {
  const protocolOf = (request: WireRequest): WireProtocol | undefined => WIRE_PROTOCOLS.find((p) => p.matches(request));
  return {
    accepts: (req, _path, body) => protocolOf(wireRequest(req, body)) !== undefined,
    async route(req, res, body) {
      const request = wireRequest(req, body);
      const protocol = protocolOf(request)!;
      const requestId = randomUUID();
      let answer;
      try {
        if (deps.authenticate !== undefined) {
          try {
            await deps.authenticate({ method: req.method ?? "POST", path: request.path, query: request.query, headers: req.headers, body });
          } catch (err) {
            if (isDomainError(err)) throw fromAuthenticationCode(err.code, err.message);
            throw err;
          }
        }
        const { operation, input } = protocol.decode(request);
        await deps.settle?.();
        const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
        if (run === undefined) {
          throw new CloudWatchError("InvalidAction", `imds-lab emulates CloudWatch's GetMetricData, GetMetricStatistics and ListMetrics, not ${operation || "(none)"}.`);
        }
        const scope = credentialScope(request);
        const cloudWatchScope: CloudWatchScope = { accountId: deps.accountOf(scope.accessKeyId), region: scope.region ?? deps.defaultRegion };
        answer = protocol.encode(operation, run(input, cloudWatchScope, deps.source), requestId);
      } catch (err) {
        if (!(err instanceof CloudWatchError)) throw err;
        answer = protocol.encodeError(err, requestId);
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
    },
  };
}
