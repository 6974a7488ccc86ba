import assert from "node:assert/strict";
import type { Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { verifySigV4 } from "../govern/sigv4-verifier.ts";
import { rawRequest } from "../../test/support/http.ts";
import { ACCOUNT_VIEW_ROUTES, callerSeesAccount, createAdminGate, OPEN_ROUTES } from "./admin-access.ts";
import { adminAuthHeaders } from "./admin-credential.ts";
import { sendJson, startApiServer, type ApiRoute } from "./api-server.ts";
import { PATH_ACCESS_KEYS, PATH_GOVERNANCE, PATH_HEALTH, PATH_INSTANCES, routeKey } from "./control-paths.ts";

const TOKEN = "operator-token-0123456789abcdef";
const ALICE = { accessKeyId: "AKIAALICEEXAMPLE0001", secretAccessKey: "alice-secret", accountId: "111111111111" };
const KEYS = new Map([[ALICE.accessKeyId, ALICE]]);
const INSTANCES = [
  { instanceId: "i-0000000000000000a", accountId: "111111111111" },
  { instanceId: "i-0000000000000000b", accountId: "222222222222" },
];

/** Issue 11, reproduction 4: under --auth verify anyone who reached the port administered it. */
describe("admin access under --auth verify", () => {
  let server: Server;
  let url: string;
  const writes: string[] = [];
  before(async () => {
    const write: ApiRoute = (req, res) => {
      writes.push(`${req.method} ${req.url}`);
      sendJson(res, 200, { ok: true });
    };
    const gate = createAdminGate({
      token: TOKEN,
      signedAccount: async (request) => {
        const key = await verifySigV4(request, { service: "ec2", nowMs: Date.now(), secretFor: (id) => KEYS.get(id) });
        return KEYS.get(key)!.accountId;
      },
      accountRoutes: ACCOUNT_VIEW_ROUTES,
      openRoutes: OPEN_ROUTES,
    });
    ({ server, url } = await startApiServer({
      host: "127.0.0.1",
      port: 0,
      ec2: (_req, res) => void res.writeHead(200).end("ec2"),
      adminGate: gate,
      routes: new Map<string, ApiRoute>([
        [routeKey("GET", PATH_HEALTH), (_req, res) => sendJson(res, 200, { ok: true })],
        [routeKey("GET", PATH_INSTANCES), (req, res) => sendJson(res, 200, INSTANCES.filter((i) => callerSeesAccount(req, i.accountId)))],
        [routeKey("POST", PATH_ACCESS_KEYS), write],
        [routeKey("PUT", PATH_GOVERNANCE), write],
      ]),
    }));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  async function signedHeaders(method: string, path: string, body = ""): Promise<Record<string, string>> {
    const { hostname, port } = new URL(url);
    const signer = new SignatureV4({ credentials: ALICE, region: "us-east-1", service: "ec2", sha256: Hash.bind(null, "sha256") });
    const signed = await signer.sign({ method, protocol: "http:", hostname, port: Number(port), path, query: {}, headers: { host: `${hostname}:${port}` }, body });
    return signed.headers as Record<string, string>;
  }

  it("admin-access: unsigned POST access-keys and PUT governance are refused 401 and never run", async () => {
    writes.length = 0;
    const key = await rawRequest(url, { method: "POST", path: PATH_ACCESS_KEYS, body: JSON.stringify({ accessKeyId: "AKIAEVIL", secretAccessKey: "x" }) });
    assert.equal(key.status, 401);
    assert.equal(JSON.parse(key.text()).error, "AuthFailure");
    const wipe = await rawRequest(url, { method: "PUT", path: PATH_GOVERNANCE, body: "{}" });
    assert.equal(wipe.status, 401);
    const listing = await rawRequest(url, { path: PATH_INSTANCES });
    assert.equal(listing.status, 401);
    assert.deepEqual(writes, []);
    assert.equal((await rawRequest(url, { path: PATH_HEALTH })).status, 200, "health stays open");
  });

  it("admin-access: the admin token administers and sees every account; a wrong token is 401", async () => {
    const wrong = await rawRequest(url, { method: "PUT", path: PATH_GOVERNANCE, headers: { authorization: `Bearer ${TOKEN.replace("0", "1")}` }, body: "{}" });
    assert.equal(wrong.status, 401);
    const headers = adminAuthHeaders({ IMDS_LAB_ADMIN_TOKEN: TOKEN });
    const put = await rawRequest(url, { method: "PUT", path: PATH_GOVERNANCE, headers, body: "{}" });
    assert.equal(put.status, 200);
    const all = await rawRequest(url, { path: PATH_INSTANCES, headers });
    assert.deepEqual(JSON.parse(all.text()).map((i: { instanceId: string }) => i.instanceId), INSTANCES.map((i) => i.instanceId));
  });

  it("admin-access: a signed caller sees only its own account's instances and may not administer", async () => {
    const listing = await rawRequest(url, { path: PATH_INSTANCES, headers: await signedHeaders("GET", PATH_INSTANCES) });
    assert.equal(listing.status, 200, listing.text());
    assert.deepEqual(JSON.parse(listing.text()), [INSTANCES[0]]);
    const body = JSON.stringify({ accessKeyId: "AKIAEVIL", secretAccessKey: "x", accountId: "222222222222" });
    const key = await rawRequest(url, { method: "POST", path: PATH_ACCESS_KEYS, headers: await signedHeaders("POST", PATH_ACCESS_KEYS, body), body });
    assert.equal(key.status, 403);
    assert.equal(JSON.parse(key.text()).error, "UnauthorizedOperation");
    const forged = { ...(await signedHeaders("GET", PATH_INSTANCES)), authorization: (await signedHeaders("GET", PATH_INSTANCES)).authorization!.replace(/Signature=\w+/, "Signature=00") };
    const refused = await rawRequest(url, { path: PATH_INSTANCES, headers: forged });
    assert.equal(refused.status, 403);
    assert.equal(JSON.parse(refused.text()).error, "SignatureDoesNotMatch");
  });
});
