import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Server } from "node:http";
import { startApiServer } from "./api-server.ts";
import { rawRequest } from "../../test/support/http.ts";

describe("api-server", () => {
  let server: Server;
  let url: string;
  before(async () => {
    ({ server, url } = await startApiServer({
      host: "127.0.0.1",
      port: 0,
      ec2: (_req, res) => void res.writeHead(200).end("ec2"),
      routes: new Map(),
    }));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("api-server: a write from another origin is refused (a web page cannot drive the local API)", async () => {
    const response = await rawRequest(url, { method: "POST", path: "/", headers: { origin: "http://evil.example" }, body: "Action=RunInstances" });
    assert.equal(response.status, 403);
  });

  it("api-server: writes without Origin (AWS clients) and from the API's own origin pass", async () => {
    const plain = await rawRequest(url, { method: "POST", path: "/", body: "Action=DescribeInstances" });
    assert.equal(plain.text(), "ec2");
    const sameOrigin = await rawRequest(url, { method: "POST", path: "/", headers: { origin: url }, body: "Action=DescribeInstances" });
    assert.equal(sameOrigin.text(), "ec2");
  });
});
