/**
 * The wire layer against the REAL client: @aws-sdk/client-ec2 talks to a node:http server on
 * 127.0.0.1:0 that answers with renderResponse / toQueryError, and the server reads the SDK's own
 * requests with parseQueryParams / deriveRequestContext.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { DescribeInstancesCommand, EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import { assertGolden } from "../../test/support/golden.ts";
import { DomainError } from "../domain/errors.ts";
import { CONTENT_TYPE_XML, HEADER_CONTENT_TYPE, HEADER_REQUEST_ID, HEADER_SERVER, SERVER_NAME } from "./constants.ts";
import { toQueryError } from "./errors.ts";
import { getList, getString, getStructList, parseQueryParams, type QueryParams } from "./query-params.ts";
import { readRequestBody } from "./request-body.ts";
import { deriveRequestContext, type RequestContext } from "./request-context.ts";
import { renderError, renderResponse, type XmlObject } from "./xml.ts";

const TAG_VALUE = `web-0 <a&b> "q" 'x'`;
const LAUNCH_TIME = new Date(Date.UTC(2026, 10, 29, 11, 9, 0));

/** One reservation, one instance: the members an IMDS-options audit reads, in EC2's element order. */
const describeInstancesBody: XmlObject = {
  reservationSet: [
    {
      reservationId: "r-0123456789abcdef0",
      ownerId: "123456789012",
      groupSet: [],
      instancesSet: [
        {
          instanceId: "i-0123456789abcdef0",
          imageId: "ami-0abcdef1234567890",
          instanceState: { code: 16, name: "running" },
          privateDnsName: "ip-10-0-0-10.ec2.internal",
          reason: "",
          amiLaunchIndex: 0,
          instanceType: "t3.micro",
          launchTime: LAUNCH_TIME,
          placement: { availabilityZone: "us-east-1a", tenancy: "default" },
          tagSet: [{ key: "Name", value: TAG_VALUE }],
          ebsOptimized: false,
          metadataOptions: {
            state: "applied",
            httpTokens: "required",
            httpPutResponseHopLimit: 2,
            httpEndpoint: "enabled",
            httpProtocolIpv6: "disabled",
            instanceMetadataTags: "enabled",
          },
        },
      ],
    },
  ],
};

interface Exchange {
  params: QueryParams;
  context: RequestContext;
}

interface Reply {
  status: number;
  body: string;
  requestId: string;
}
type Answer = (exchange: Exchange) => Reply;

describe("client-wire: @aws-sdk/client-ec2 against the wire layer", () => {
  let answer: Answer = () => ({ status: 500, body: "", requestId: "unset" });
  const seen: Exchange[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      let reply: Reply;
      try {
        const body = await readRequestBody(req, { contentLength: req.headers["content-length"] });
        const exchange = { params: parseQueryParams({ body, query: req.url?.split("?")[1] }), context: deriveRequestContext(req.headers) };
        seen.push(exchange);
        reply = answer(exchange);
      } catch (err) {
        const requestId = "req-thrown";
        reply = { ...toQueryError(err, requestId), requestId };
      }
      res.writeHead(reply.status, {
        [HEADER_CONTENT_TYPE]: CONTENT_TYPE_XML,
        [HEADER_REQUEST_ID]: reply.requestId,
        [HEADER_SERVER]: SERVER_NAME,
      });
      res.end(reply.body);
    })();
  });
  let client: EC2Client;

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    client = new EC2Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "x" },
      maxAttempts: 1,
    });
  });

  after(async () => {
    client.destroy();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });

  it("client-wire: the DescribeInstances sample is pinned by a golden file", () => {
    assertGolden("ec2/describe-instances.xml", renderResponse("DescribeInstances", "req-golden", describeInstancesBody));
  });

  it("client-wire: the SDK surfaces renderError as code, message and request id", async () => {
    answer = () => ({ status: 400, body: renderError("InvalidParameterValue", "msg <&>", "req-1"), requestId: "req-1" });
    const err: unknown = await client.send(new DescribeInstancesCommand({})).then(
      () => assert.fail("expected the call to fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EC2ServiceException, String(err));
    assert.equal(err.name, "InvalidParameterValue");
    assert.equal((err as unknown as { Code?: string }).Code, "InvalidParameterValue");
    assert.equal(err.message, "msg <&>");
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.requestId, "req-1");
    assert.equal(err.$fault, "client");
  });

  it("client-wire: toQueryError of a DomainError reaches the SDK with EC2's status", async () => {
    answer = () => {
      throw new DomainError("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist");
    };
    const err = (await client.send(new DescribeInstancesCommand({ InstanceIds: ["i-1"] })).catch((e: unknown) => e)) as EC2ServiceException;
    assert.equal(err.name, "InvalidInstanceID.NotFound");
    assert.equal(err.message, "The instance ID 'i-1' does not exist");
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.requestId, "req-thrown");
  });

  it("client-wire: a rendered DescribeInstances parses to the right values", async () => {
    answer = () => ({ status: 200, body: renderResponse("DescribeInstances", "req-ok", describeInstancesBody), requestId: "req-ok" });
    const out = await client.send(new DescribeInstancesCommand({}));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.$metadata.requestId, "req-ok");
    assert.equal(out.Reservations?.length, 1);
    const reservation = out.Reservations![0]!;
    assert.equal(reservation.ReservationId, "r-0123456789abcdef0");
    assert.equal(reservation.OwnerId, "123456789012");
    assert.deepEqual(reservation.Groups ?? [], []);
    const instance = reservation.Instances![0]!;
    assert.equal(instance.InstanceId, "i-0123456789abcdef0");
    assert.deepEqual(instance.State, { Code: 16, Name: "running" });
    assert.equal(instance.StateTransitionReason, "", "<reason/> is the empty string, not absent");
    assert.equal(instance.AmiLaunchIndex, 0);
    assert.equal(instance.EbsOptimized, false);
    assert.equal(instance.LaunchTime?.getTime(), LAUNCH_TIME.getTime());
    assert.deepEqual(instance.Tags, [{ Key: "Name", Value: TAG_VALUE }]);
    assert.deepEqual(instance.MetadataOptions, {
      State: "applied",
      HttpTokens: "required",
      HttpPutResponseHopLimit: 2,
      HttpEndpoint: "enabled",
      HttpProtocolIpv6: "disabled",
      InstanceMetadataTags: "enabled",
    });
  });

  it("client-wire: the SDK's own request reads back through parseQueryParams and deriveRequestContext", async () => {
    answer = () => ({ status: 200, body: renderResponse("DescribeInstances", "req-q", { reservationSet: [] }), requestId: "req-q" });
    const before = seen.length;
    const out = await client.send(
      new DescribeInstancesCommand({
        InstanceIds: ["i-1", "i-2"],
        Filters: [{ Name: "tag:Name", Values: [TAG_VALUE, "a+b=c&d"] }, { Name: "metadata-options.http-tokens", Values: ["optional"] }],
        DryRun: false,
      }),
    );
    assert.deepEqual(out.Reservations ?? [], []);
    const exchange = seen[before]!;
    assert.equal(getString(exchange.params, "Action"), "DescribeInstances");
    assert.equal(getString(exchange.params, "Version"), "2016-11-15");
    assert.equal(getString(exchange.params, "DryRun"), "false");
    assert.deepEqual(getList(exchange.params, "InstanceId"), ["i-1", "i-2"]);
    assert.deepEqual(getStructList(exchange.params, "Filter"), [
      { Name: "tag:Name", Value: [TAG_VALUE, "a+b=c&d"] },
      { Name: "metadata-options.http-tokens", Value: ["optional"] },
    ]);
    assert.deepEqual(exchange.context, { region: "us-east-1", accessKeyId: "AKIDEXAMPLE", accountId: "123456789012" });
  });
});
