/**
 * Property tests over the raw HTTP surface of one IMDS endpoint: whatever a client sends (odd
 * methods, escaped, dotted or huge paths, random token / TTL / X-Forwarded-For headers, random
 * bytes), the endpoint answers within a bound with a status from the defined set and the
 * EC2 Server header, never crashes or hangs, and still answers a plain request afterwards.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { InstanceRecord } from "../../src/domain/instance/instance.ts";
import type { MetadataOptionsInput } from "../../src/domain/options/metadata-options.ts";
import { anInstance, startTestImds, withOptions, type TestImds } from "../support/imds-fixture.ts";
import { parseWireResponse, rawExchange, requestBytes } from "../support/raw-http.ts";

const DEFINED_STATUSES = new Set([200, 400, 401, 403, 404, 405, 413, 431]);
const BOUND_MS = 3_000;

let imds: TestImds;
let record: InstanceRecord;
let port: number;
let validToken: string;

before(async () => {
  imds = await startTestImds();
  record = withOptions(
    {
      ...anInstance({ roleName: "app-role", keyName: "my-key", userData: Buffer.from("#!/bin/sh\necho hi\n").toString("base64") }),
      tags: [{ key: "Name", value: "web" }, { key: "aws:autoscaling:groupName", value: "asg" }],
    },
    { instanceMetadataTags: "enabled" },
  );
  await imds.attach(record);
  port = imds.port(record.instanceId);
  const response = parseWireResponse(await rawExchange(port, requestBytes("PUT", "/latest/api/token", { "X-aws-ec2-metadata-token-ttl-seconds": "21600" })));
  validToken = response.body.toString("latin1");
});

after(() => imds.close());

// Mostly what clients send, sometimes what llhttp knows but IMDS does not, rarely not a method at all.
const methods = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom("GET", "GET", "GET", "HEAD", "PUT", "PUT") },
  { weight: 4, arbitrary: fc.constantFrom("POST", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "MKCOL", "LOCK", "PURGE", "SEARCH", "SOURCE") },
  { weight: 1, arbitrary: fc.constantFrom("get", "Put", "FROB", "", "G\tET", "PRI") },
);

const knownSegments = fc.constantFrom(
  "latest", "2009-04-04", "2021-03-23", "1.0", "2099-01-01", "meta-data", "dynamic", "user-data", "api", "token",
  "iam", "security-credentials", "app-role", "security-credentials-extended", "tags", "instance", "Name",
  "public-keys", "0", "openssh-key", "instance-identity", "document", "pkcs7", "placement", "instance-id",
);

const hexDigit = fc.constantFrom(..."0123456789abcdefABCDEF");
const escapes = fc.oneof(
  fc.tuple(hexDigit, hexDigit).map(([a, b]) => `%${a}${b}`),
  fc.constantFrom("%", "%z", "%zz", "%2F", "%2f", "%2e%2e", "%2E", "%00", "%ff", "%C3%A9", "%E2%82"),
);
const urlChar = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@");
const segment = fc.oneof(
  { weight: 5, arbitrary: knownSegments },
  { weight: 2, arbitrary: fc.constantFrom("", ".", "..", "...", "%2e", "./.", "~") },
  { weight: 2, arbitrary: fc.array(fc.oneof(urlChar, escapes), { maxLength: 12 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 12_000 }).map((n) => "s".repeat(n)) },
);
// Bytes a URL may not hold; rare, so most paths reach the catalogue.
const oddSegment = fc.constantFrom("\x7f", "\x80", "\xff", "a b", "\x01", "é");
const realPaths = fc
  .tuple(
    fc.constantFrom(
      "/", "/latest", "/latest/meta-data/", "/latest/meta-data/instance-id", "/latest/api/token", "/latest/user-data",
      "/latest/meta-data/iam/security-credentials/", "/latest/meta-data/iam/security-credentials/app-role",
      "/2021-03-23/meta-data/tags/instance/Name", "/latest/meta-data/tags/instance/aws%3Aautoscaling%3AgroupName",
      "/latest/dynamic/instance-identity/document", "/latest/dynamic/instance-identity/pkcs7",
      "/2009-04-04/meta-data/public-keys/0/openssh-key", "/2021-03-23/api/token",
    ),
    fc.constantFrom("", "/", "?x=1"),
    fc.boolean(),
  )
  .map(([path, suffix, doubled]) => `${doubled ? path.replaceAll("/", "//") : path}${suffix}`);
const composedPaths = fc
  .tuple(
    fc.oneof({ weight: 10, arbitrary: fc.constantFrom("/", "/", "/", "//") }, { weight: 1, arbitrary: fc.constantFrom("", "*", "http://instance-data.invalid/latest/") }),
    fc.array(fc.oneof({ weight: 30, arbitrary: segment }, { weight: 1, arbitrary: oddSegment }), { maxLength: 7 }),
    fc.constantFrom("", "/", "//"),
    fc.option(fc.array(fc.oneof(urlChar, escapes, fc.constantFrom("?", "=", "&", "#")), { maxLength: 10 }), { nil: undefined }),
  )
  .map(([prefix, segments, suffix, query]) => `${prefix}${segments.join("/")}${suffix}${query === undefined ? "" : `?${query.join("")}`}`);
const paths = fc.oneof(realPaths, composedPaths);

const headerValueChar = fc.oneof(
  { weight: 200, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  { weight: 1, arbitrary: fc.constantFrom("\t", "\x80", "\xe9", "\xff", "\x00", "\x7f") },
);
const headerValue = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: headerValueChar, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.constant(null).map(() => validToken) },
    { weight: 2, arbitrary: fc.integer({ min: -5, max: 30_000 }).map(String) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "0", "21600", "21601", "1.5", "100-continue", "chunked", "gzip", "99999999999999999999") },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 10_000 }).map((n) => "v".repeat(n)) },
  );
const headerName = fc.oneof(
  {
    weight: 24,
    arbitrary: fc.constantFrom(
      "X-aws-ec2-metadata-token", "x-aws-ec2-metadata-token", "X-AWS-EC2-METADATA-TOKEN",
      "X-aws-ec2-metadata-token-ttl-seconds", "x-aws-ec2-metadata-token-ttl-seconds", "X-Aws-Ec2-Metadata-Token-Ttl-Seconds",
      "X-Forwarded-For", "x-forwarded-for", "Content-Length", "Transfer-Encoding", "Expect", "Upgrade",
      "Host", "Accept", "User-Agent", "Range", "If-Modified-Since",
    ),
  },
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,24}$/).filter((n) => !/^(connection|keep-alive)$/i.test(n)) },
  { weight: 1, arbitrary: fc.constantFrom("Bad Name", "Colon:Name", "", "\x01") },
);
const headers = fc.array(fc.tuple(headerName, headerValue()), { maxLength: 5 });

const options: fc.Arbitrary<MetadataOptionsInput> = fc.record({
  httpTokens: fc.constantFrom("optional", "required"),
  httpEndpoint: fc.constantFrom("enabled", "enabled", "enabled", "disabled"),
  instanceMetadataTags: fc.constantFrom("enabled", "disabled"),
});

function buildRequest(method: string, path: string, version: string, withHost: boolean, extra: ReadonlyArray<readonly [string, string]>): Buffer {
  const lines = [`${method} ${path} ${version}`];
  if (withHost) lines.push("Host: 169.254.169.254");
  for (const [name, value] of extra) lines.push(`${name}: ${value}`);
  lines.push("Connection: close");
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
}

async function assertStillServes(): Promise<void> {
  await imds.host.update(record);
  const response = parseWireResponse(await rawExchange(port, requestBytes("GET", "/latest/meta-data/instance-id"), { timeoutMs: BOUND_MS }));
  assert.equal(response.status, 200);
  assert.equal(response.body.toString(), record.instanceId);
}

test("IMDS endpoint: any request line and headers get a defined status with Server: EC2ws, and the server keeps serving", async () => {
  await fc.assert(
    fc.asyncProperty(
      options,
      methods,
      paths,
      fc.oneof({ weight: 12, arbitrary: fc.constantFrom("HTTP/1.1", "HTTP/1.1", "HTTP/1.0") }, { weight: 1, arbitrary: fc.constantFrom("HTTP/1.9", "HTTP/2.0", "http/1.1") }),
      fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      headers,
      async (opts, method, path, version, withHost, extra) => {
        await imds.host.update(withOptions(record, opts));
        const bytes = await rawExchange(port, buildRequest(method, path, version, withHost, extra), { timeoutMs: BOUND_MS });
        const response = parseWireResponse(bytes);
        assert.ok(DEFINED_STATUSES.has(response.status), `status ${response.status}`);
        assert.equal(response.header("Server"), "EC2ws");
        const declared = Number(response.header("Content-Length"));
        // Malformed requests (400, 431) are answered before a method is known, so they carry a body.
        const bodiless = method === "HEAD" && response.status !== 400 && response.status !== 431;
        assert.equal(response.body.length, bodiless ? 0 : declared);
        if (opts.httpEndpoint === "disabled") assert.ok([400, 403, 413, 431].includes(response.status), `disabled endpoint answered ${response.status}`);
        if (response.status === 401) assert.equal(declared, 0);
        await assertStillServes();
      },
    ),
    { numRuns: 300 },
  );
});

test("IMDS endpoint: well-formed GETs follow the decision table for random paths and token headers", async () => {
  await fc.assert(
    fc.asyncProperty(
      options,
      paths.filter((p) => p.startsWith("/") && !/[\s\x00-\x1f\x7f-\xff]/.test(p) && p.length < 7_000),
      fc.option(fc.oneof(fc.constant(null).map(() => validToken), fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 })), { nil: undefined }),
      async (opts, path, token) => {
        await imds.host.update(withOptions(record, opts));
        const extra: Record<string, string> = token === undefined ? {} : { "X-aws-ec2-metadata-token": token };
        const response = parseWireResponse(await rawExchange(port, requestBytes("GET", path, extra), { timeoutMs: BOUND_MS }));
        const tokenValid = token === validToken;
        if (opts.httpEndpoint === "disabled") assert.equal(response.status, 403);
        else if (token !== undefined && !tokenValid) assert.equal(response.status, 401);
        else if (token === undefined && opts.httpTokens === "required") assert.equal(response.status, 401);
        else assert.ok([200, 404, 405].includes(response.status), `status ${response.status} for ${path}`);
        if (response.status === 200 || response.status === 404) {
          assert.equal(response.header("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") !== undefined, tokenValid && response.status === 200);
        }
      },
    ),
    { numRuns: 300 },
  );
  await assertStillServes();
});

test("IMDS endpoint: random bytes get a defined answer or a plain close, never a hang", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
        fc.tuple(methods, fc.uint8Array({ maxLength: 100 })).map(([m, b]) => Buffer.concat([Buffer.from(`${m} /`, "latin1"), Buffer.from(b), Buffer.from("\r\n\r\n")])),
        fc.tuple(fc.uint8Array({ maxLength: 100 })).map(([b]) => Buffer.concat([Buffer.from("GET /latest/meta-data/ HTTP/1.1\r\nHost: x\r\n"), Buffer.from(b), Buffer.from("\r\n\r\n")])),
      ),
      async (bytes) => {
        await imds.host.update(record);
        const answer = await rawExchange(port, bytes, { timeoutMs: BOUND_MS });
        if (answer.length > 0) {
          const response = parseWireResponse(answer);
          assert.ok(DEFINED_STATUSES.has(response.status), `status ${response.status}`);
          assert.equal(response.header("Server"), "EC2ws");
        }
        await assertStillServes();
      },
    ),
    { numRuns: 200 },
  );
});
