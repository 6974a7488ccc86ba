import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import { METADATA_VERSIONS } from "../domain/catalogue/versions.ts";
import { anInstance, startTestImds, withOptions, type TestImds } from "../../test/support/imds-fixture.ts";
import { rawRequest, type RawResponse } from "../../test/support/http.ts";

const TOKEN = "X-aws-ec2-metadata-token";
const USER_DATA = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));

async function serve(t: TestContext, record: InstanceRecord = anInstance({ roleName: "app-role" })): Promise<{ imds: TestImds; url: string; record: InstanceRecord }> {
  const imds = await startTestImds();
  t.after(() => imds.close());
  return { imds, url: await imds.attach(record), record };
}

function get(url: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(url, { path, headers });
}

async function text(url: string, path: string): Promise<string> {
  const response = await get(url, path);
  assert.equal(response.status, 200, `GET ${path}`);
  return response.text();
}

test("handleImdsRequest: / lists the metadata versions, oldest first, latest last, no trailing newline", async (t) => {
  const { url } = await serve(t);
  const body = await text(url, "/");
  assert.equal(body, METADATA_VERSIONS.join("\n"));
  assert.ok(body.startsWith("1.0\n2007-01-19\n") && body.endsWith("\nlatest"));
});

test("handleImdsRequest: /latest and /latest/ list dynamic, meta-data and user-data only when there is user data", async (t) => {
  const withUserData = await serve(t, anInstance({ userData: USER_DATA.toString("base64") }));
  assert.equal(await text(withUserData.url, "/latest"), "dynamic\nmeta-data\nuser-data");
  assert.equal(await text(withUserData.url, "/latest/"), "dynamic\nmeta-data\nuser-data");
  const without = await serve(t, anInstance());
  assert.equal(await text(without.url, "/latest"), "dynamic\nmeta-data");
});

test("handleImdsRequest: user-data is the exact bytes as application/octet-stream", async (t) => {
  const { url } = await serve(t, anInstance({ userData: USER_DATA.toString("base64") }));
  const response = await get(url, "/latest/user-data");
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-type"], "application/octet-stream");
  assert.equal(response.headers["content-length"], "256");
  assert.deepEqual(response.body, USER_DATA);
});

test("handleImdsRequest: user-data is 404 when the instance has none", async (t) => {
  const { url } = await serve(t, anInstance());
  const response = await get(url, "/latest/user-data");
  assert.equal(response.status, 404);
  assert.equal(response.headers["content-type"], "text/html");
});

test("handleImdsRequest: metadata leaves and listings are text/plain with no trailing newline", async (t) => {
  const { url, record } = await serve(t);
  const leaf = await get(url, "/latest/meta-data/local-ipv4");
  assert.equal(leaf.headers["content-type"], "text/plain");
  assert.equal(leaf.text(), record.privateIpv4);
  assert.equal(leaf.headers["content-length"], String(record.privateIpv4.length));
  const listing = await get(url, "/latest/meta-data/");
  assert.equal(listing.headers["content-type"], "text/plain");
  assert.ok(!listing.text().endsWith("\n"));
  assert.ok(listing.text().split("\n").includes("iam/"));
  assert.equal(await text(url, "/latest/meta-data/placement/region"), "us-east-1");
});

test("handleImdsRequest: a directory answers its listing with and without the trailing slash", async (t) => {
  const { url } = await serve(t);
  for (const path of ["/latest/meta-data", "/latest/dynamic/instance-identity", "/latest/meta-data/iam/security-credentials", "/latest/meta-data/placement"]) {
    assert.equal(await text(url, path), await text(url, `${path}/`), path);
  }
  assert.equal(await text(url, "/latest/meta-data/iam/security-credentials/"), "app-role");
});

test("handleImdsRequest: a leaf answers its value with a trailing slash (botocore's region fetch)", async (t) => {
  const { url } = await serve(t);
  assert.equal(await text(url, "/latest/meta-data/placement/availability-zone/"), "us-east-1a");
  assert.equal(await text(url, "/latest/meta-data/instance-id/"), await text(url, "/latest/meta-data/instance-id"));
});

test("handleImdsRequest: doubled slashes are tolerated (//latest//meta-data/instance-id, as the JS SDK sends)", async (t) => {
  const { url, record } = await serve(t);
  assert.equal(await text(url, "//latest//meta-data/instance-id"), record.instanceId);
  assert.equal(await text(url, "//latest/meta-data//instance-id//"), record.instanceId);
});

test("handleImdsRequest: the query string is ignored", async (t) => {
  const { url, record } = await serve(t);
  assert.equal(await text(url, "/latest/meta-data/instance-id?x=1&y"), record.instanceId);
});

test("handleImdsRequest: percent-escapes in a segment are decoded; a bad escape is 404", async (t) => {
  const record = withOptions({ ...anInstance(), tags: [{ key: "aws:autoscaling:groupName", value: "asg-1" }] }, { instanceMetadataTags: "enabled" });
  const { url } = await serve(t, record);
  assert.equal(await text(url, "/latest/meta-data/tags/instance/aws%3Aautoscaling%3AgroupName"), "asg-1");
  assert.equal(await text(url, "/latest/meta-data/tags/instance/aws:autoscaling:groupName"), "asg-1");
  assert.equal(await text(url, "/latest/meta-data/%69nstance-id"), record.instanceId);
  assert.equal((await get(url, "/latest/meta-data/%zz")).status, 404);
  assert.equal((await get(url, "/latest/meta-data%2Finstance-id")).status, 404);
  assert.equal((await get(url, "/latest/meta-data/../meta-data/instance-id")).status, 404);
});

test("handleImdsRequest: cloud-init's versions alias latest, filtered by category age", async (t) => {
  const { url, record } = await serve(t);
  for (const version of ["2009-04-04", "2016-09-02", "2018-09-24", "2021-03-23"]) {
    assert.equal(await text(url, `/${version}/meta-data/instance-id`), record.instanceId, version);
  }
  assert.ok(!(await text(url, "/2009-04-04/meta-data/")).split("\n").includes("iam/"));
  assert.equal(await text(url, "/2009-04-04/meta-data/placement/"), "availability-zone");
  assert.equal((await get(url, "/2009-04-04/meta-data/iam/security-credentials/app-role")).status, 404);
  assert.equal((await get(url, "/2018-09-24/meta-data/iam/security-credentials/app-role")).status, 200);
});

test("handleImdsRequest: unknown versions and paths are 404 with EC2's 339-byte page", async (t) => {
  const { url } = await serve(t);
  for (const path of ["/2099-01-01/meta-data/", "/LATEST/meta-data/", "/meta-data/", "/latest/meta-data/nope", "/latest/meta-data/instance-id/more", "/latest/nope"]) {
    const response = await get(url, path);
    assert.equal(response.status, 404, path);
    assert.equal(response.headers["content-type"], "text/html");
    assert.equal(response.body.length, 339);
    assert.equal(response.headers["content-length"], "339");
  }
});

test("handleImdsRequest: empty directories are 404 (events/recommendations before a rebalance notice)", async (t) => {
  const { url } = await serve(t);
  assert.equal(await text(url, "/latest/meta-data/events/"), "maintenance/");
  assert.equal((await get(url, "/latest/meta-data/events/recommendations/")).status, 404);
  assert.equal((await get(url, "/latest/meta-data/spot/instance-action")).status, 404);
});

test("handleImdsRequest: HEAD answers the headers of GET without a body", async (t) => {
  const { url, record } = await serve(t);
  const response = await rawRequest(url, { method: "HEAD", path: "/latest/meta-data/instance-id" });
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-length"], String(record.instanceId.length));
  assert.equal(response.headers["content-type"], "text/plain");
  assert.equal(response.body.length, 0);
  const missing = await rawRequest(url, { method: "HEAD", path: "/latest/meta-data/nope" });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers["content-length"], "339");
  assert.equal(missing.body.length, 0);
});

test("handleImdsRequest: identity document and its signatures", async (t) => {
  const { url, record } = await serve(t);
  const document = JSON.parse(await text(url, "/latest/dynamic/instance-identity/document")) as Record<string, unknown>;
  assert.equal(document.instanceId, record.instanceId);
  assert.equal(document.version, "2017-09-30");
  assert.equal(await text(url, "/latest/dynamic/instance-identity/pkcs7"), "P");
  assert.equal(await text(url, "/latest/dynamic/instance-identity/signature"), "S");
  assert.equal(await text(url, "/latest/dynamic/instance-identity/rsa2048"), "R");
  assert.equal(await text(url, "/latest/dynamic/instance-identity"), "rsa2048\npkcs7\ndocument\nsignature");
});

test("handleImdsRequest: a failed identity signing is 404 and is retried on the next request", async (t) => {
  let attempts = 0;
  const imds = await startTestImds({
    signer: {
      sign: async () => {
        attempts++;
        if (attempts === 1) throw new Error("signing failed");
        return { pkcs7: "P2", signature: "S2", rsa2048: "R2" };
      },
    },
  });
  t.after(() => imds.close());
  const url = await imds.attach(anInstance());
  assert.equal((await get(url, "/latest/dynamic/instance-identity/pkcs7")).status, 404);
  assert.equal(await text(url, "/latest/dynamic/instance-identity/pkcs7"), "P2");
  assert.equal(attempts, 2);
});

test("handleImdsRequest: Server: EC2ws, Last-Modified and Accept-Ranges: none on every answer", async (t) => {
  const { url } = await serve(t, withOptions(anInstance({ roleName: "app-role" }), { httpTokens: "required" }));
  const responses = [
    await get(url, "/"),
    await get(url, "/latest/meta-data/"),
    await rawRequest(url, { method: "PUT", path: "/latest/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } }),
    await rawRequest(url, { method: "PUT", path: "/latest/api/token" }),
    await rawRequest(url, { method: "PUT", path: "/2021-03-23/api/token", headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" } }),
    await rawRequest(url, { method: "POST", path: "/latest/meta-data/" }),
    await get(url, "/latest/meta-data/", { [TOKEN]: "bad" }),
  ];
  const value = responses[2]!.text();
  responses.push(await get(url, "/latest/meta-data/nope", { [TOKEN]: value }));
  responses.push(await get(url, "/latest/meta-data/iam/security-credentials/app-role", { [TOKEN]: value }));
  assert.deepEqual(responses.map((r) => r.status), [401, 401, 200, 400, 403, 405, 401, 404, 200]);
  for (const response of responses) {
    assert.equal(response.headers.server, "EC2ws");
    assert.equal(response.headers["accept-ranges"], "none");
    assert.equal(response.headers["last-modified"], "Sun, 29 Nov 2026 12:00:00 GMT");
  }
});

test("handleImdsRequest: changed options and tags take effect on the next request", async (t) => {
  const { url, imds, record } = await serve(t, { ...anInstance(), tags: [{ key: "Name", value: "web" }] });
  assert.equal((await get(url, "/latest/meta-data/tags/instance")).status, 404);
  assert.ok(!(await text(url, "/latest/meta-data/")).split("\n").includes("tags/"));

  const tagged = withOptions(record, { instanceMetadataTags: "enabled" });
  await imds.host.update(tagged);
  assert.ok((await text(url, "/latest/meta-data/")).split("\n").includes("tags/"));
  assert.equal(await text(url, "/latest/meta-data/tags/instance"), "Name");

  await imds.host.update({ ...tagged, tags: [...tagged.tags, { key: "Environment", value: "prod" }] });
  assert.equal(await text(url, "/latest/meta-data/tags/instance/"), "Name\nEnvironment");
  assert.equal(await text(url, "/latest/meta-data/tags/instance/Environment"), "prod");

  await imds.host.update({ ...tagged, tags: [] });
  assert.equal(await text(url, "/latest/meta-data/tags/instance"), "");
  assert.equal((await get(url, "/latest/meta-data/tags/instance/Name")).status, 404);

  await imds.host.update(withOptions(tagged, { httpTokens: "required" }));
  assert.equal((await get(url, "/latest/meta-data/instance-id")).status, 401);
  await imds.host.update(withOptions(tagged, { httpTokens: "optional" }));
  assert.equal((await get(url, "/latest/meta-data/instance-id")).status, 200);
});

test("handleImdsRequest: runtime.update swaps the data served at once", async (t) => {
  const { url, imds, record } = await serve(t, anInstance());
  assert.equal(await text(url, "/latest/meta-data/instance-type"), "m5.large");
  imds.host.runtime(record.instanceId)!.update({ ...record, instanceType: "c7g.xlarge", securityGroups: [{ groupId: "sg-1", groupName: "web" }] });
  assert.equal(await text(url, "/latest/meta-data/instance-type"), "c7g.xlarge");
  assert.equal(await text(url, "/latest/meta-data/security-groups"), "web");
  assert.equal((JSON.parse(await text(url, "/latest/dynamic/instance-identity/document")) as { instanceType: string }).instanceType, "c7g.xlarge");
});

test("handleImdsRequest: notices appear in metadata when posted", async (t) => {
  const { url, imds, record } = await serve(t, anInstance());
  imds.host.setNotices(record.instanceId, { rebalanceNoticeTime: "2026-11-29T13:00:00Z" });
  assert.equal(await text(url, "/latest/meta-data/events/recommendations/rebalance"), '{"noticeTime":"2026-11-29T13:00:00Z"}');
});
