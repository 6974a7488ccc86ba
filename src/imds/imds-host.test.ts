import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import type { InstanceRecord } from "../domain/instance/instance.ts";
import { anInstance, startTestImds, withOptions, type TestImds } from "../../test/support/imds-fixture.ts";
import { rawRequest } from "../../test/support/http.ts";
import { parseWireResponse, rawExchange, requestBytes } from "../../test/support/raw-http.ts";

async function serve(t: TestContext, record: InstanceRecord = anInstance(), options: { connectionClose?: boolean } = {}): Promise<{ imds: TestImds; url: string; port: number; record: InstanceRecord }> {
  const imds = await startTestImds(options);
  t.after(() => imds.close());
  const url = await imds.attach(record);
  return { imds, url, port: imds.port(record.instanceId), record };
}

async function stillServes(port: number, record: InstanceRecord): Promise<void> {
  const response = parseWireResponse(await rawExchange(port, requestBytes("GET", "/latest/meta-data/instance-id")));
  assert.equal(response.status, 200);
  assert.equal(response.body.toString(), record.instanceId);
}

test("ImdsHost: a stopped instance's endpoint refuses connections; starting it serves again on the same port", async (t) => {
  const { imds, url, port, record } = await serve(t);
  assert.equal(imds.host.url(record.instanceId), url);
  await imds.host.update({ ...record, state: "stopped" });
  await assert.rejects(rawRequest(url, { path: "/latest/meta-data/instance-id" }), { code: "ECONNREFUSED" });
  assert.equal(imds.host.url(record.instanceId), null);
  await imds.host.update({ ...record, state: "running" });
  assert.equal(imds.host.url(record.instanceId), url);
  assert.equal(imds.port(record.instanceId), port);
  const response = await rawRequest(url, { path: "/latest/meta-data/instance-id" });
  assert.equal(response.status, 200);
  assert.equal(response.text(), record.instanceId);
});

test("ImdsHost: stopping closes idle keep-alive connections too", async (t) => {
  const { imds, url, record } = await serve(t);
  const { Agent } = await import("node:http");
  const agent = new Agent({ keepAlive: true });
  t.after(() => agent.destroy());
  const { get } = await import("node:http");
  await new Promise<void>((resolve, reject) => {
    get(`${url}/latest/meta-data/instance-id`, { agent }, (res) => {
      res.resume();
      res.on("end", resolve);
    }).on("error", reject);
  });
  await imds.host.update({ ...record, state: "stopped" });
  await assert.rejects(rawRequest(url, { path: "/" }), { code: "ECONNREFUSED" });
});

test("ImdsHost: an instance attached while stopped starts listening when it runs", async (t) => {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const record = anInstance();
  await imds.host.attach({ ...record, state: "stopped" }, { host: "127.0.0.1", port: 0 });
  assert.equal(imds.host.url(record.instanceId), null);
  await imds.host.update(record);
  const url = imds.host.url(record.instanceId);
  assert.ok(url !== null);
  assert.equal((await rawRequest(url, { path: "/latest/meta-data/instance-id" })).text(), record.instanceId);
});

test("ImdsHost: detach closes the endpoint; attaching the same instance twice is an error", async (t) => {
  const { imds, url, record } = await serve(t);
  await assert.rejects(imds.host.attach(record, { host: "127.0.0.1", port: 0 }), /already has an endpoint/);
  await imds.host.detach(record.instanceId);
  assert.equal(imds.host.runtime(record.instanceId), undefined);
  await assert.rejects(rawRequest(url, { path: "/" }), { code: "ECONNREFUSED" });
});

test("ImdsHost: headers over 8 KiB are 431, and the server keeps serving", async (t) => {
  const { url, port, record } = await serve(t);
  const response = parseWireResponse(await rawExchange(port, requestBytes("GET", "/latest/meta-data/", { "X-Padding": "a".repeat(9000) })));
  assert.equal(response.status, 431);
  assert.equal(response.header("Server"), "EC2ws");
  assert.equal(response.header("Connection"), "close");
  assert.equal(response.body.length, Number(response.header("Content-Length")));
  assert.match(response.body.toString("latin1"), /431 - Request Header Fields Too Large/);
  const viaClient = await rawRequest(url, { path: "/latest/meta-data/", headers: { "X-Padding": "b".repeat(9000) } });
  assert.equal(viaClient.status, 431);
  await stillServes(port, record);
});

test("ImdsHost: a declared body over the limit is 413 without reading it", async (t) => {
  const { url, port, record } = await serve(t);
  const response = parseWireResponse(await rawExchange(port, requestBytes("PUT", "/latest/api/token", { "X-aws-ec2-metadata-token-ttl-seconds": "60", "Content-Length": "5000" })));
  assert.equal(response.status, 413);
  assert.equal(response.header("Server"), "EC2ws");
  assert.equal(response.header("Connection"), "close");
  const viaClient = await rawRequest(url, { path: "/latest/meta-data/", headers: { "Content-Length": "5000" } });
  assert.equal(viaClient.status, 413);
  await stillServes(port, record);
});

test("ImdsHost: a small body is accepted and ignored", async (t) => {
  const { url, record } = await serve(t);
  const response = await rawRequest(url, { path: "/latest/meta-data/instance-id", headers: { "Content-Length": "5" }, body: "hello" });
  assert.equal(response.status, 200);
  assert.equal(response.text(), record.instanceId);
});

test("ImdsHost: garbage after a request gets no second answer on that connection", async (t) => {
  const { url, port, record } = await serve(t);
  // node's client sends a GET body without any framing, so the server sees a second, malformed request.
  const response = await rawRequest(url, { path: "/latest/meta-data/instance-id", body: "hello" });
  assert.equal(response.status, 200);
  assert.equal(response.text(), record.instanceId);
  for (const connection of ["close", "keep-alive"]) {
    const bytes = await rawExchange(port, `GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\nConnection: ${connection}\r\n\r\nhello\r\n\r\n`);
    assert.equal(bytes.toString("latin1").match(/HTTP\/1\.1 /g)?.length, 1, connection);
    assert.equal(parseWireResponse(bytes).body.toString(), record.instanceId);
  }
});

test("ImdsHost: a chunked body is 413 (IMDS requests carry none)", async (t) => {
  const { port } = await serve(t);
  const bytes = "PUT /latest/api/token HTTP/1.1\r\nHost: x\r\nX-aws-ec2-metadata-token-ttl-seconds: 60\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n";
  assert.equal(parseWireResponse(await rawExchange(port, bytes)).status, 413);
});

for (const [name, bytes] of [
  ["garbage request line", "GARBAGE\r\n\r\n"],
  ["unknown method", "FROB /latest/meta-data/ HTTP/1.1\r\nHost: x\r\n\r\n"],
  ["lower-case method", "get /latest/meta-data/ HTTP/1.1\r\nHost: x\r\n\r\n"],
  ["bad HTTP version", "GET /latest/meta-data/ HTTP/9.9\r\nHost: x\r\n\r\n"],
  ["header without colon", "GET / HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n"],
  ["control byte in the path", "GET /latest/\x01 HTTP/1.1\r\nHost: x\r\n\r\n"],
  ["two Content-Lengths", "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"],
] as const) {
  test(`ImdsHost: malformed HTTP (${name}) is 400, and the server keeps serving`, async (t) => {
    const { port, record } = await serve(t);
    const response = parseWireResponse(await rawExchange(port, Buffer.from(bytes, "latin1")));
    assert.equal(response.status, 400);
    assert.equal(response.header("Server"), "EC2ws");
    assert.equal(response.header("Content-Type"), "text/html");
    assert.match(response.body.toString("latin1"), /400 - Bad Request/);
    await stillServes(port, record);
  });
}

test("ImdsHost: pipelined requests on one keep-alive connection each get their answer", async (t) => {
  const { port, record } = await serve(t);
  const bytes = await rawExchange(
    port,
    "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\r\nGET /latest/meta-data/local-ipv4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
  );
  const text = bytes.toString("latin1");
  assert.equal(text.match(/HTTP\/1\.1 200 OK/g)?.length, 2);
  assert.ok(text.includes(`\r\n\r\n${record.instanceId}HTTP/1.1 200 OK`));
  assert.ok(text.endsWith(`\r\n\r\n${record.privateIpv4}`));
});

test("ImdsHost: CONNECT is answered 405 like any other method, not dropped", async (t) => {
  const { port, record } = await serve(t);
  const response = parseWireResponse(await rawExchange(port, "CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: 169.254.169.254:80\r\n\r\n"));
  assert.equal(response.status, 405);
  assert.equal(response.header("Server"), "EC2ws");
  assert.equal(response.header("Connection"), "close");
  assert.equal(response.body.length, Number(response.header("Content-Length")));
  await stillServes(port, record);
});

test("ImdsHost: CONNECT is 403 while the endpoint is disabled", async (t) => {
  const { port } = await serve(t, withOptions(anInstance(), { httpEndpoint: "disabled" }));
  const response = parseWireResponse(await rawExchange(port, "CONNECT 169.254.169.254:80 HTTP/1.1\r\nHost: x\r\n\r\n"));
  assert.equal(response.status, 403);
});

test("ImdsHost: a request without Host is served by the decision table", async (t) => {
  const { port, record } = await serve(t);
  const response = parseWireResponse(await rawExchange(port, "GET /latest/meta-data/instance-id HTTP/1.1\r\nConnection: close\r\n\r\n"));
  assert.equal(response.status, 200);
  assert.equal(response.header("Server"), "EC2ws");
  assert.equal(response.body.toString(), record.instanceId);
});

test("ImdsHost: an HTTP/1.0 request is served and closed", async (t) => {
  const { port, record } = await serve(t);
  const response = parseWireResponse(await rawExchange(port, "GET /latest/meta-data/instance-id HTTP/1.0\r\n\r\n"));
  assert.equal(response.status, 200);
  assert.equal(response.body.toString(), record.instanceId);
});

test("ImdsHost: Expect headers do not change the answer", async (t) => {
  const { port, record } = await serve(t);
  const odd = parseWireResponse(await rawExchange(port, requestBytes("GET", "/latest/meta-data/instance-id", { Expect: "something-else" })));
  assert.equal(odd.status, 200);
  assert.equal(odd.body.toString(), record.instanceId);
  const token = parseWireResponse(await rawExchange(port, requestBytes("PUT", "/latest/api/token", { "X-aws-ec2-metadata-token-ttl-seconds": "60", Expect: "100-continue", "Content-Length": "0" })));
  assert.equal(token.status, 200);
  assert.equal(token.body.length, 56);
});

test("ImdsHost: Connection: close on every answer when configured, as EC2 sends it", async (t) => {
  const { port } = await serve(t, anInstance(), { connectionClose: true });
  const keepAliveRequest = "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: x\r\n\r\n";
  const response = parseWireResponse(await rawExchange(port, keepAliveRequest));
  assert.equal(response.header("Connection"), "close");
  assert.equal(response.headers.filter(([name]) => name.toLowerCase() === "connection").length, 1);
  assert.equal(response.header("Keep-Alive"), undefined);
});

test("ImdsHost: several instances each answer from their own data", async (t) => {
  const imds = await startTestImds();
  t.after(() => imds.close());
  const records = [anInstance({}, 1), anInstance({}, 2), anInstance({}, 3)];
  const urls = await Promise.all(records.map((r) => imds.attach(r)));
  assert.equal(new Set(urls).size, 3);
  assert.deepEqual(imds.host.instanceIds().sort(), records.map((r) => r.instanceId).sort());
  for (const [i, record] of records.entries()) {
    assert.equal((await rawRequest(urls[i]!, { path: "/latest/meta-data/instance-id" })).text(), record.instanceId);
    assert.equal((await rawRequest(urls[i]!, { path: "/latest/meta-data/local-ipv4" })).text(), record.privateIpv4);
  }
});
