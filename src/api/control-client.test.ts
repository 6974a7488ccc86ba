import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ControlApiError, ControlClient } from "./control-client.ts";
import { PATH_EVENTS, PATH_EXPLAIN, PATH_GOVERNANCE } from "./control-paths.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server on port 0 whose answer each test sets. */
async function startServer(): Promise<{ server: Server; url: string; answer(handler: Handler): void; seen: IncomingMessage[] }> {
  let handler: Handler = (_req, res) => void res.writeHead(500).end();
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, answer: (h) => (handler = h), seen };
}

const json = (status: number, value: unknown, contentType = "application/json"): Handler => (_req, res) =>
  void res.writeHead(status, { "Content-Type": contentType }).end(typeof value === "string" ? value : JSON.stringify(value));

async function failure(call: Promise<unknown>): Promise<ControlApiError> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ControlApiError, `expected a ControlApiError, got ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/, "one line for people");
    return err;
  }
  assert.fail("expected the call to fail");
}

describe("control-client", () => {
  let fixture: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    fixture = await startServer();
  });
  after(() => fixture.server.close());

  it("control-client: a refusal in the control API's error JSON is refused, with its code and message", async () => {
    fixture.answer(json(404, { error: "InvalidInstanceID.NotFound", message: "The instance ID 'i-0123456789abcdef0' does not exist" }));
    const err = await failure(new ControlClient(fixture.url).explain("i-0123456789abcdef0"));
    assert.equal(err.failure, "refused");
    assert.equal(err.code, "InvalidInstanceID.NotFound");
    assert.equal(err.status, 404);
    assert.equal(err.message, "InvalidInstanceID.NotFound: The instance ID 'i-0123456789abcdef0' does not exist");
  });

  it("control-client: a 400 with a long message over several lines becomes one whole line", async () => {
    const reason = `ec2_attributes.http_tokens:\n  expected no_preference${" or another value".repeat(10)}`;
    fixture.answer(json(400, { error: "MalformedPolicyDocumentException", message: reason }));
    const err = await failure(new ControlClient(fixture.url).attachDeclarativePolicy("{}"));
    assert.equal(err.failure, "refused");
    assert.equal(err.message, `MalformedPolicyDocumentException: ${reason.replace(/\s+/g, " ")}`);
  });

  it("control-client: a server error is failed, naming the endpoint and the code", async () => {
    fixture.answer(json(500, { error: "InternalError", message: "An internal error has occurred." }));
    const err = await failure(new ControlClient(fixture.url).governance());
    assert.equal(err.failure, "failed");
    assert.equal(err.status, 500);
    assert.equal(err.message, `imds-lab at ${fixture.url} failed: InternalError: An internal error has occurred.`);
  });

  it("control-client: no route (a bare NotFound) and a page that is not JSON are failed: not the control API", async () => {
    fixture.answer(json(404, { error: "NotFound", message: "No route answers GET /_imds-lab/events." }));
    const noRoute = await failure(new ControlClient(fixture.url).listEvents());
    assert.equal(noRoute.failure, "failed");
    assert.match(noRoute.message, new RegExp(`^GET ${PATH_EVENTS} on ${fixture.url} answered 404: .*\\(is it imds-lab\\?\\)$`));

    fixture.answer(json(502, "<html>\n<body>Bad Gateway</body>\n</html>", "text/html"));
    const page = await failure(new ControlClient(fixture.url).listEvents());
    assert.equal(page.failure, "failed");
    assert.equal(page.status, 502);
    assert.match(page.message, /answered 502: <html> <body>Bad Gateway<\/body> <\/html> \(is it imds-lab\?\)$/);
  });

  it("control-client: a 2xx whose body is not JSON is failed", async () => {
    fixture.answer(json(200, "ok", "text/plain"));
    const err = await failure(new ControlClient(fixture.url).health());
    assert.equal(err.failure, "failed");
    assert.match(err.message, /answered 200: ok \(is it imds-lab\?\)$/);
  });

  it("control-client: a refused port is unreachable", async () => {
    const closed = await startServer();
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const err = await failure(new ControlClient(closed.url).health());
    assert.equal(err.failure, "unreachable");
    assert.equal(err.status, undefined);
    assert.match(err.message, new RegExp(`^cannot reach imds-lab at ${closed.url}: .*ECONNREFUSED`));
  });

  it("control-client: no answer within the timeout is unreachable", async () => {
    fixture.answer(() => undefined);
    const err = await failure(new ControlClient(fixture.url, { timeoutMs: 200 }).health());
    assert.equal(err.failure, "unreachable");
    assert.match(err.message, /no answer within 200 ms/);
  });

  it("control-client: typed answers; the path, query, body and headers are the route's", async () => {
    fixture.seen.length = 0;
    fixture.answer(json(200, { events: [] }));
    const client = new ControlClient(fixture.url, { headers: { Authorization: "Bearer t0k3n" } });
    assert.deepEqual(await client.listEvents("i-0123456789abcdef0"), { events: [] });
    const [list] = fixture.seen;
    assert.equal(list!.method, "GET");
    assert.equal(list!.url, `${PATH_EVENTS}?instanceId=i-0123456789abcdef0`);
    assert.equal(list!.headers.authorization, "Bearer t0k3n");

    let body = "";
    fixture.answer((req, res) => {
      req.setEncoding("utf8").on("data", (c: string) => (body += c));
      req.on("end", () => void res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
    });
    await client.loadGovernance("accessKeys: []\n", { replace: true });
    const load = fixture.seen[1]!;
    assert.deepEqual([load.method, load.url, load.headers["content-type"]], ["PUT", PATH_GOVERNANCE, "application/json"]);
    assert.equal(body, "accessKeys: []\n");

    fixture.answer(json(200, { instanceId: "i-1" }));
    await client.explain("i-1");
    assert.equal(fixture.seen[2]!.url, `${PATH_EXPLAIN}?instanceId=i-1`);
  });
});
