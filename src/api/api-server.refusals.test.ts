import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import type { Server } from "node:http";
import { XMLParser } from "fast-xml-parser";
import { startApiServer, type ApiRoute } from "./api-server.ts";
import { rawRequest, type RawResponse } from "../../test/support/http.ts";

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

/** The EC2 error envelope's code, or a failure when the body is not EC2 XML. */
function ec2ErrorCode(response: RawResponse): string {
  assert.match(String(response.headers["content-type"]), /^text\/xml/);
  const code = parser.parse(response.text())?.Response?.Errors?.Error?.Code;
  assert.equal(typeof code, "string", response.text());
  return code as string;
}

describe("api-server refusals (issue 11, reproductions 3 and 9)", () => {
  let server: Server;
  let url: string;
  let port: number;
  const reached: string[] = [];
  before(async () => {
    ({ server, url } = await startApiServer({
      host: "127.0.0.1",
      port: 0,
      allowedHosts: ["imds-lab.internal"],
      ec2: (req, res) => {
        reached.push(`${req.method} ${req.url}`);
        res.writeHead(200).end("ec2");
      },
      routes: new Map<string, ApiRoute>([
        ["POST /_imds-lab/governance/access-keys", (_req, res) => void res.writeHead(200).end("admin")],
        ["GET /_imds-lab/boom", () => Promise.reject(new Error("boom"))],
      ]),
    }));
    port = Number(new URL(url).port);
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("api-server: a GET that changes state from another web origin is refused with EC2 XML and never reaches the API", async () => {
    reached.length = 0;
    const response = await rawRequest(url, {
      path: "/?Action=ModifyInstanceMetadataDefaults&Version=2016-11-15&HttpTokens=optional",
      headers: { origin: "https://evil.example" },
    });
    assert.equal(response.status, 403);
    assert.equal(ec2ErrorCode(response), "UnauthorizedOperation");
    assert.deepEqual(reached, []);
  });

  it("api-server: a DNS-rebound Host is refused for every method, EC2 and admin routes alike", async () => {
    const rebound = { host: `evil.example:${port}`, origin: `http://evil.example:${port}` };
    const post = await rawRequest(url, { method: "POST", path: "/", headers: rebound, body: "Action=RunInstances" });
    assert.equal(post.status, 403);
    assert.equal(ec2ErrorCode(post), "UnauthorizedOperation");
    const admin = await rawRequest(url, { method: "POST", path: "/_imds-lab/governance/access-keys", headers: rebound, body: "{}" });
    assert.equal(admin.status, 403);
    assert.equal(JSON.parse(admin.text()).error, "UnauthorizedOperation");
    const get = await rawRequest(url, { path: "/?Action=DescribeInstances", headers: { host: `evil.example:${port}` } });
    assert.equal(get.status, 403);
  });

  it("api-server: loopback names, IP literals and configured names are answered", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost.:${port}`, `api.localhost:${port}`, `127.9.9.9:${port}`, `[::1]:${port}`, `10.0.0.7:${port}`, `imds-lab.internal:${port}`, "imds-lab.internal"]) {
      const response = await rawRequest(url, { method: "POST", path: "/", headers: { host }, body: "Action=DescribeInstances" });
      assert.equal(response.text(), "ec2", host);
    }
  });

  it("api-server: Sec-Fetch-Site cross-site and same-site are refused on every method; same-origin and none pass", async () => {
    for (const site of ["cross-site", "same-site"]) {
      for (const method of ["GET", "POST"]) {
        const response = await rawRequest(url, { method, path: "/?Action=DescribeInstances", headers: { "sec-fetch-site": site } });
        assert.equal(response.status, 403, `${method} ${site}`);
        assert.equal(ec2ErrorCode(response), "UnauthorizedOperation");
      }
    }
    for (const site of ["same-origin", "none"]) {
      const response = await rawRequest(url, { path: "/?Action=DescribeInstances", headers: { "sec-fetch-site": site } });
      assert.equal(response.text(), "ec2", site);
    }
  });

  it("api-server: the API's own pages pass (the dashboard's fetch POST /); Origin null does not", async () => {
    const own = await rawRequest(url, { method: "POST", path: "/", headers: { origin: url, "sec-fetch-site": "same-origin" }, body: "Action=DescribeInstances" });
    assert.equal(own.text(), "ec2");
    const sandboxed = await rawRequest(url, { method: "POST", path: "/", headers: { origin: "null" }, body: "Action=DescribeInstances" });
    assert.equal(sandboxed.status, 403);
  });

  it("api-server: a body over 1 MiB is RequestEntityTooLarge in EC2 XML (JSON under /_imds-lab/)", async () => {
    const big = "Action=DescribeInstances&x=" + "a".repeat(1024 * 1024);
    const ec2 = await rawRequest(url, { method: "POST", path: "/", body: big }).catch((err: Error) => err);
    assert.ok(!(ec2 instanceof Error), "answered before the connection closed");
    assert.equal(ec2.status, 413);
    assert.equal(ec2ErrorCode(ec2), "RequestEntityTooLarge");
    const admin = await rawRequest(url, { method: "POST", path: "/_imds-lab/governance/access-keys", body: big });
    assert.equal(admin.status, 413);
    assert.equal(JSON.parse(admin.text()).error, "RequestEntityTooLarge");
  });

  it("api-server: a failing route is InternalError without its message; malformed HTTP is EC2 XML too", async () => {
    const failed = await rawRequest(url, { path: "/_imds-lab/boom" });
    assert.equal(failed.status, 500);
    assert.deepEqual(JSON.parse(failed.text()), { error: "InternalError", message: "An internal error has occurred." });
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, "127.0.0.1", () => socket.end("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n"));
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /<Code>InvalidParameterValue<\/Code>/);
  });
});
