import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import type { MetadataOptionsInput } from "../domain/options/metadata-options.ts";
import { anInstance, startTestImds, withOptions, type TestImds } from "../../test/support/imds-fixture.ts";
import { rawRequest, type RawResponse } from "../../test/support/http.ts";
import type { InstanceRuntime } from "./instance-runtime.ts";

const TTL = "X-aws-ec2-metadata-token-ttl-seconds";
const TOKEN = "X-aws-ec2-metadata-token";
const ROLE = "app-role";
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Served {
  readonly imds: TestImds;
  readonly url: string;
  readonly record: InstanceRecord;
  readonly runtime: InstanceRuntime;
}

async function serve(t: TestContext, options: MetadataOptionsInput = {}, record = anInstance({ roleName: ROLE })): Promise<Served> {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const served = withOptions(record, options);
  const url = await imds.attach(served);
  return { imds, url, record: served, runtime: imds.host.runtime(served.instanceId)! };
}

function get(url: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(url, { path, headers });
}

/** `ttl: null` sends no TTL header at all. */
function putToken(url: string, ttl: string | null = "21600", extra: Record<string, string> = {}, path = "/latest/api/token"): Promise<RawResponse> {
  return rawRequest(url, { method: "PUT", path, headers: ttl === null ? extra : { [TTL]: ttl, ...extra } });
}

async function token(url: string, ttl = "21600"): Promise<string> {
  const response = await putToken(url, ttl);
  assert.equal(response.status, 200);
  return response.text();
}

/** The TTL echo with EC2's wire casing, or undefined when absent. */
function ttlEcho(response: RawResponse): string | undefined {
  const i = response.rawHeaders.indexOf("X-Aws-Ec2-Metadata-Token-Ttl-Seconds");
  return i === -1 ? undefined : response.rawHeaders[i + 1];
}

function assertEmpty401(response: RawResponse): void {
  assert.equal(response.status, 401);
  assert.equal(response.headers["content-length"], "0");
  assert.equal(response.headers["content-type"], "text/plain");
  assert.equal(response.headers.server, "EC2ws");
  assert.equal(response.body.length, 0);
}

function credentials(response: RawResponse): Record<string, string> {
  assert.equal(response.status, 200);
  return JSON.parse(response.text()) as Record<string, string>;
}

// --- token API (docs/behaviour.md#imds-data-plane) ---

test("handleImdsRequest: PUT /latest/api/token answers a 56-character token without newline and echoes the TTL", async (t) => {
  const { url, runtime } = await serve(t);
  const response = await putToken(url, "21600");
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-type"], "text/plain");
  assert.equal(response.headers["content-length"], "56");
  assert.match(response.text(), /^AQAEA[A-Za-z0-9_-]{49}==$/);
  assert.equal(ttlEcho(response), "21600");
  assert.equal(runtime.counters.tokensIssued, 1);
});

test("handleImdsRequest: the TTL header name is case-insensitive", async (t) => {
  const { url } = await serve(t);
  const response = await rawRequest(url, { method: "PUT", path: "/latest/api/token", headers: { "X-AWS-EC2-METADATA-TOKEN-TTL-SECONDS": "5" } });
  assert.equal(response.status, 200);
  assert.equal(ttlEcho(response), "5");
});

test("handleImdsRequest: two token PUTs give two different tokens", async (t) => {
  const { url } = await serve(t);
  assert.notEqual(await token(url), await token(url));
});

for (const [name, ttl] of [["missing", null], ["0", "0"], ["21601", "21601"], ["abc", "abc"], ["-1", "-1"], ["1.5", "1.5"]] as const) {
  test(`handleImdsRequest: token PUT with TTL ${name} is 400`, async (t) => {
    const { url, runtime } = await serve(t);
    const response = await putToken(url, ttl);
    assert.equal(response.status, 400);
    assert.equal(response.headers["content-type"], "text/html");
    assert.match(response.text(), /<title>400 - Bad Request<\/title>/);
    assert.equal(runtime.counters.tokensIssued, 0);
  });
}

test("handleImdsRequest: token PUT with X-Forwarded-For is 403 (EC2 rejects such PUTs)", async (t) => {
  const { url, runtime } = await serve(t);
  const response = await putToken(url, "21600", { "X-Forwarded-For": "203.0.113.9" });
  assert.equal(response.status, 403);
  assert.match(response.text(), /403 - Forbidden/);
  assert.equal(runtime.counters.tokensIssued, 0);
});

for (const path of ["/2021-03-23/api/token", "/2009-04-04/api/token", "//2021-03-23//api/token"]) {
  test(`handleImdsRequest: token PUT to the version-specific ${path} is 403`, async (t) => {
    const { url } = await serve(t);
    assert.equal((await putToken(url, "21600", {}, path)).status, 403);
  });
}

for (const path of ["/latest/meta-data/", "/latest/meta-data/instance-id", "/", "/latest/api"]) {
  test(`handleImdsRequest: PUT to ${path} is 405`, async (t) => {
    const { url } = await serve(t);
    const response = await putToken(url, "21600", {}, path);
    assert.equal(response.status, 405);
    assert.match(response.text(), /405 - Method Not Allowed/);
  });
}

for (const method of ["POST", "DELETE", "PATCH", "OPTIONS"]) {
  for (const path of ["/latest/meta-data/instance-id", "/latest/api/token"]) {
    test(`handleImdsRequest: ${method} ${path} is 405`, async (t) => {
      const { url } = await serve(t);
      assert.equal((await rawRequest(url, { method, path })).status, 405);
    });
  }
}

test("handleImdsRequest: GET /latest/api/token is 405", async (t) => {
  const { url } = await serve(t);
  assert.equal((await get(url, "/latest/api/token")).status, 405);
  assert.equal((await rawRequest(url, { method: "HEAD", path: "/latest/api/token" })).status, 405);
});

// --- the GET decision table (docs/behaviour.md#imds-data-plane) ---

test("handleImdsRequest: optional, no token -> 200 without a TTL echo, counted as MetadataNoToken", async (t) => {
  const { url, runtime, record } = await serve(t);
  const response = await get(url, "/latest/meta-data/instance-id");
  assert.equal(response.status, 200);
  assert.equal(response.text(), record.instanceId);
  assert.equal(ttlEcho(response), undefined);
  assert.equal(runtime.counters.metadataNoToken, 1);
  assert.equal(runtime.counters.metadataWithToken, 0);
});

test("handleImdsRequest: optional, valid token -> 200 with the remaining TTL, counted with token", async (t) => {
  const { url, runtime, record } = await serve(t);
  const response = await get(url, "/latest/meta-data/instance-id", { [TOKEN]: await token(url, "600") });
  assert.equal(response.status, 200);
  assert.equal(response.text(), record.instanceId);
  assert.equal(ttlEcho(response), "600");
  assert.equal(runtime.counters.metadataWithToken, 1);
  assert.equal(runtime.counters.metadataNoToken, 0);
});

for (const [name, value] of [["garbage", "not-a-token"], ["empty", ""], ["forged", "AQAEA" + "A".repeat(49) + "=="]] as const) {
  test(`handleImdsRequest: optional, ${name} token -> 401 with an empty body`, async (t) => {
    const { url, runtime } = await serve(t);
    assertEmpty401(await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value }));
    assert.equal(runtime.counters.invalidTokens, 1);
    assert.equal(runtime.counters.metadataNoToken, 0);
  });
}

test("handleImdsRequest: required, no token -> 401 with Content-Length 0, counted as MetadataNoTokenRejected", async (t) => {
  const { url, runtime } = await serve(t, { httpTokens: "required" });
  assertEmpty401(await get(url, "/latest/meta-data/instance-id"));
  assertEmpty401(await rawRequest(url, { method: "HEAD", path: "/latest/meta-data/" }));
  assert.equal(runtime.counters.metadataNoTokenRejected, 2);
  assert.equal(runtime.counters.metadataNoToken, 0);
});

test("handleImdsRequest: required, no token -> 401 also for paths that do not exist", async (t) => {
  const { url } = await serve(t, { httpTokens: "required" });
  assertEmpty401(await get(url, "/latest/meta-data/nope"));
});

test("handleImdsRequest: required, valid token -> 200 with the remaining TTL, counting down with the clock", async (t) => {
  const { url, imds, record } = await serve(t, { httpTokens: "required" });
  const value = await token(url, "21600");
  const fresh = await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.text(), record.instanceId);
  assert.equal(ttlEcho(fresh), "21600");
  imds.clock.advance(82_000);
  assert.equal(ttlEcho(await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value })), "21518");
  imds.clock.advance(500);
  assert.equal(ttlEcho(await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value })), "21518", "a part second rounds up");
});

test("handleImdsRequest: the token header name is case-insensitive", async (t) => {
  const { url } = await serve(t, { httpTokens: "required" });
  const response = await get(url, "/latest/meta-data/instance-id", { "X-AWS-EC2-METADATA-TOKEN": await token(url) });
  assert.equal(response.status, 200);
});

test("handleImdsRequest: a token expires with the clock, whether or not it was used before", async (t) => {
  const { url, imds } = await serve(t, { httpTokens: "required" });
  const used = await token(url, "60");
  const unused = await token(url, "60");
  assert.equal((await get(url, "/latest/meta-data/instance-id", { [TOKEN]: used })).status, 200);
  imds.clock.advance(59_999);
  const last = await get(url, "/latest/meta-data/instance-id", { [TOKEN]: used });
  assert.equal(last.status, 200);
  assert.equal(ttlEcho(last), "1");
  imds.clock.advance(1);
  assertEmpty401(await get(url, "/latest/meta-data/instance-id", { [TOKEN]: used }));
  assertEmpty401(await get(url, "/latest/meta-data/instance-id", { [TOKEN]: unused }));
});

test("handleImdsRequest: an expired token is refused in optional mode too", async (t) => {
  const { url, imds } = await serve(t);
  const value = await token(url, "1");
  imds.clock.advance(1_000);
  assertEmpty401(await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value }));
});

test("handleImdsRequest: a token from instance A is refused by instance B", async (t) => {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const a = withOptions(anInstance({}, 1), { httpTokens: "required" });
  const b = withOptions(anInstance({}, 2), { httpTokens: "required" });
  assert.notEqual(a.instanceId, b.instanceId);
  const urlA = await imds.attach(a);
  const urlB = await imds.attach(b);
  assert.notEqual(urlA, urlB);
  const tokenA = await token(urlA);
  assert.equal((await get(urlA, "/latest/meta-data/instance-id", { [TOKEN]: tokenA })).text(), a.instanceId);
  assertEmpty401(await get(urlB, "/latest/meta-data/instance-id", { [TOKEN]: tokenA }));
  assert.equal((await get(urlB, "/latest/meta-data/instance-id", { [TOKEN]: await token(urlB) })).text(), b.instanceId);
});

test("handleImdsRequest: HttpEndpoint=disabled -> 403 on every path and method, token PUT included", async (t) => {
  const { url, runtime } = await serve(t, { httpEndpoint: "disabled" });
  const responses = [
    await putToken(url, "21600"),
    await get(url, "/latest/meta-data/instance-id"),
    await get(url, "/"),
    await get(url, "/latest/user-data"),
    await get(url, "/no/such/path"),
    await get(url, "/latest/meta-data/instance-id", { [TOKEN]: "whatever" }),
    await rawRequest(url, { method: "HEAD", path: "/latest/meta-data/" }),
    await rawRequest(url, { method: "POST", path: "/latest/meta-data/" }),
    await putToken(url, "21600", {}, "/2021-03-23/api/token"),
  ];
  for (const response of responses) {
    assert.equal(response.status, 403);
    assert.equal(response.headers.server, "EC2ws");
  }
  assert.equal(runtime.counters.tokensIssued, 0);
});

test("handleImdsRequest: HttpEndpoint=disabled also refuses a token issued while it was enabled", async (t) => {
  const { url, imds, record } = await serve(t);
  const value = await token(url);
  await imds.host.update(withOptions(record, { httpEndpoint: "disabled" }));
  assert.equal((await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value })).status, 403);
});

test("handleImdsRequest: X-Forwarded-For does not affect GETs", async (t) => {
  const { url } = await serve(t);
  assert.equal((await get(url, "/latest/meta-data/instance-id", { "X-Forwarded-For": "203.0.113.9" })).status, 200);
});

// --- role credentials, a v1 and a v2 set (docs/sources.md#role-credentials-from-instance-metadata) ---

test("handleImdsRequest: role credentials carry the fields clients require and expire more than 30 min ahead", async (t) => {
  const { url, imds } = await serve(t);
  const response = await get(url, `/latest/meta-data/iam/security-credentials/${ROLE}`);
  assert.equal(response.headers["content-type"], "text/plain");
  const body = credentials(response);
  assert.deepEqual(Object.keys(body), ["Code", "LastUpdated", "Type", "AccessKeyId", "SecretAccessKey", "Token", "Expiration"]);
  assert.equal(body.Code, "Success");
  assert.equal(body.Type, "AWS-HMAC");
  assert.match(body.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
  assert.ok(body.SecretAccessKey!.length >= 40);
  assert.ok(body.Token!.length > 100);
  assert.match(body.Expiration!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(body.LastUpdated!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Date.parse(body.Expiration!) - imds.clock.nowMs() > 30 * MINUTE);
  assert.match(response.text(), /^\{\n {2}"Code" : "Success",\n/);
});

test("handleImdsRequest: IMDSv1 and IMDSv2 callers get different credentials, each stable until rotation", async (t) => {
  const { url } = await serve(t);
  const path = `/latest/meta-data/iam/security-credentials/${ROLE}`;
  const v1 = credentials(await get(url, path));
  const value = await token(url);
  const v2 = credentials(await get(url, path, { [TOKEN]: value }));
  assert.notEqual(v1.AccessKeyId, v2.AccessKeyId);
  assert.notEqual(v1.SecretAccessKey, v2.SecretAccessKey);
  assert.equal(credentials(await get(url, path)).AccessKeyId, v1.AccessKeyId);
  assert.equal(credentials(await get(url, path, { [TOKEN]: value })).AccessKeyId, v2.AccessKeyId);
});

test("handleImdsRequest: credentials rotate before they expire; the old set is still valid at the handover", async (t) => {
  const { url, imds } = await serve(t);
  const path = `/latest/meta-data/iam/security-credentials/${ROLE}`;
  const first = credentials(await get(url, path));
  imds.clock.advance(5 * HOUR - 1);
  assert.equal(credentials(await get(url, path)).AccessKeyId, first.AccessKeyId);
  imds.clock.advance(1);
  const second = credentials(await get(url, path));
  assert.notEqual(second.AccessKeyId, first.AccessKeyId);
  assert.ok(Date.parse(first.Expiration!) > imds.clock.nowMs(), "old credentials have not expired at the handover");
  assert.ok(Date.parse(first.Expiration!) - imds.clock.nowMs() >= 5 * MINUTE, "at least five minutes of overlap, as EC2 documents");
  assert.ok(Date.parse(second.Expiration!) - imds.clock.nowMs() > 30 * MINUTE);
  assert.equal(second.LastUpdated, new Date(imds.clock.nowMs()).toISOString().replace(".000Z", "Z"));
  imds.clock.advance(5 * HOUR + 30 * MINUTE);
  const third = credentials(await get(url, path));
  assert.notEqual(third.AccessKeyId, second.AccessKeyId);
});

test("handleImdsRequest: the identity-credentials role answers credentials too", async (t) => {
  const { url } = await serve(t);
  assert.equal(await (await get(url, "/latest/meta-data/identity-credentials/ec2/security-credentials/")).text(), "ec2-instance");
  const body = credentials(await get(url, "/latest/meta-data/identity-credentials/ec2/security-credentials/ec2-instance"));
  assert.equal(body.Code, "Success");
});

test("handleImdsRequest: security-credentials-extended is 404, so SDKs fall back to the legacy path", async (t) => {
  const { url } = await serve(t);
  assert.equal((await get(url, "/latest/meta-data/iam/security-credentials-extended/")).status, 404);
  assert.equal((await get(url, `/latest/meta-data/iam/security-credentials-extended/${ROLE}`)).status, 404);
});

test("handleImdsRequest: an instance without a role has no credentials (404)", async (t) => {
  const { url } = await serve(t, {}, anInstance());
  assert.equal((await get(url, "/latest/meta-data/iam/security-credentials/")).status, 404);
  assert.equal((await get(url, "/latest/meta-data/iam/info")).status, 404);
});

test("handleImdsRequest: the access log tells v1 from v2", async (t) => {
  const { url, imds } = await serve(t);
  await get(url, "/latest/meta-data/instance-id");
  const value = await token(url);
  await get(url, "/latest/meta-data/instance-id", { [TOKEN]: value });
  await get(url, "/latest/meta-data/instance-id", { [TOKEN]: "bad" });
  assert.deepEqual(
    imds.accesses.map((e) => [e.path, e.status, e.version]),
    [
      ["/latest/meta-data/instance-id", 200, "v1"],
      ["/latest/api/token", 200, "v2"],
      ["/latest/meta-data/instance-id", 200, "v2"],
      ["/latest/meta-data/instance-id", 401, "v2"],
    ],
  );
});
