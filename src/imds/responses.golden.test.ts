/**
 * The exact bytes of IMDS answers (status line, headers in wire order except Date, body), pinned
 * in test/golden/imds/. The instance, clock, credentials and token key are all deterministic;
 * UPDATE_GOLDEN=1 rewrites the files after an intended change.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import { anInstance, startTestImds, withOptions } from "../../test/support/imds-fixture.ts";
import { assertGolden } from "../../test/support/golden.ts";
import { formatForGolden, parseWireResponse, rawExchange, requestBytes } from "../../test/support/raw-http.ts";

const TTL = "X-aws-ec2-metadata-token-ttl-seconds";
const TOKEN = "X-aws-ec2-metadata-token";
const TOKEN_PLACEHOLDER = `AQAEA${"-".repeat(49)}==`;

async function portFor(t: TestContext, record: InstanceRecord = anInstance({ roleName: "app-role" })): Promise<number> {
  const imds = await startTestImds();
  t.after(() => imds.close());
  await imds.attach(record);
  return imds.port(record.instanceId);
}

async function exchange(port: number, method: string, path: string, headers: Record<string, string> = {}): Promise<Buffer> {
  return rawExchange(port, requestBytes(method, path, headers));
}

test("IMDS wire bytes: GET /latest/meta-data/ listing", async (t) => {
  const port = await portFor(t);
  assertGolden("imds/meta-data-listing.http", formatForGolden(await exchange(port, "GET", "/latest/meta-data/")));
});

test("IMDS wire bytes: 401 for HttpTokens=required without a token (empty body)", async (t) => {
  const port = await portFor(t, withOptions(anInstance(), { httpTokens: "required" }));
  const bytes = await exchange(port, "GET", "/latest/meta-data/instance-id");
  assert.equal(parseWireResponse(bytes).body.length, 0);
  assertGolden("imds/401-token-required.http", formatForGolden(bytes));
});

test("IMDS wire bytes: 404 page, exactly 339 bytes", async (t) => {
  const port = await portFor(t, anInstance());
  const bytes = await exchange(port, "GET", "/latest/meta-data/iam/info");
  const response = parseWireResponse(bytes);
  assert.equal(response.status, 404);
  assert.equal(response.body.length, 339);
  assert.equal(response.header("Content-Length"), "339");
  assertGolden("imds/404-not-found.http", formatForGolden(bytes));
});

test("IMDS wire bytes: 400 for a token PUT without a TTL", async (t) => {
  const port = await portFor(t);
  assertGolden("imds/400-token-ttl-missing.http", formatForGolden(await exchange(port, "PUT", "/latest/api/token")));
});

test("IMDS wire bytes: 403, the same for a disabled endpoint, X-Forwarded-For and a versioned token path", async (t) => {
  const disabled = await portFor(t, withOptions(anInstance(), { httpEndpoint: "disabled" }));
  const golden = formatForGolden(await exchange(disabled, "GET", "/latest/meta-data/"));
  assertGolden("imds/403-forbidden.http", golden);
  const enabled = await portFor(t, anInstance());
  assert.equal(formatForGolden(await exchange(enabled, "PUT", "/latest/api/token", { [TTL]: "60", "X-Forwarded-For": "10.0.0.1" })), golden);
  assert.equal(formatForGolden(await exchange(enabled, "PUT", "/2021-03-23/api/token", { [TTL]: "60" })), golden);
});

test("IMDS wire bytes: 405 for another method", async (t) => {
  const port = await portFor(t);
  assertGolden("imds/405-method-not-allowed.http", formatForGolden(await exchange(port, "POST", "/latest/meta-data/")));
});

test("IMDS wire bytes: token PUT answer (token masked; its shape checked here)", async (t) => {
  const port = await portFor(t);
  const bytes = await exchange(port, "PUT", "/latest/api/token", { [TTL]: "21600" });
  const response = parseWireResponse(bytes);
  const token = response.body.toString("latin1");
  assert.match(token, /^AQAEA[A-Za-z0-9_-]{49}==$/);
  assert.equal(TOKEN_PLACEHOLDER.length, token.length);
  assertGolden("imds/token-put.http", formatForGolden(bytes).replace(token, TOKEN_PLACEHOLDER));
});

test("IMDS wire bytes: token-bearing GET carries the remaining TTL", async (t) => {
  const port = await portFor(t);
  const token = parseWireResponse(await exchange(port, "PUT", "/latest/api/token", { [TTL]: "600" })).body.toString("latin1");
  assertGolden("imds/instance-id-with-token.http", formatForGolden(await exchange(port, "GET", "/latest/meta-data/instance-id", { [TOKEN]: token })));
});

test("IMDS wire bytes: role credentials JSON", async (t) => {
  const port = await portFor(t);
  assertGolden("imds/role-credentials.http", formatForGolden(await exchange(port, "GET", "/latest/meta-data/iam/security-credentials/app-role")));
});

test("IMDS wire bytes: instance identity document", async (t) => {
  const port = await portFor(t);
  assertGolden("imds/identity-document.http", formatForGolden(await exchange(port, "GET", "/latest/dynamic/instance-identity/document")));
});

test("IMDS wire bytes: 413, 431 and malformed-request 400", async (t) => {
  const port = await portFor(t);
  assertGolden("imds/413-body-too-large.http", formatForGolden(await exchange(port, "GET", "/latest/meta-data/", { "Content-Length": "5000" })));
  assertGolden("imds/431-headers-too-large.http", formatForGolden(await exchange(port, "GET", "/latest/meta-data/", { "X-Padding": "a".repeat(9000) })));
  assertGolden("imds/400-malformed.http", formatForGolden(await rawExchange(port, "GARBAGE\r\n\r\n")));
});
