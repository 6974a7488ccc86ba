import assert from "node:assert/strict";
import { test } from "node:test";
import { createEc2Harness } from "../../test/support/ec2-harness.ts";
import { createQueryApi, MESSAGE_UNSIGNED_GET_WRITE } from "./query-api.ts";

/** Issue 11, reproduction 3: `GET /?Action=ModifyInstanceMetadataDefaults…` changed the account's defaults. */
test("query-api: a state-changing action by unsigned GET is refused and writes nothing; signed or POST pass", async () => {
  const h = await createEc2Harness();
  try {
    const api = createQueryApi({ services: h.services });
    const query = "Action=ModifyInstanceMetadataDefaults&Version=2016-11-15&HttpTokens=required";
    const get = (headers: Record<string, string>, q = query) => api.handle(headers, q, Buffer.alloc(0), { method: "GET", path: "/" });
    const defaults = async () => {
      const answer = await h.call("GetInstanceMetadataDefaults");
      assert.equal(answer.status, 200, answer.body);
      return answer.body.replace(/<requestId>[^<]*<\/requestId>/, "");
    };
    const before = await defaults();

    const unsigned = await get({});
    assert.equal(unsigned.status, 403);
    assert.match(unsigned.body, /<Code>UnauthorizedOperation<\/Code>/);
    assert.ok(unsigned.body.includes(MESSAGE_UNSIGNED_GET_WRITE));
    assert.equal(await defaults(), before, "nothing written");

    const reads = await get({}, "Action=DescribeInstances&Version=2016-11-15");
    assert.equal(reads.status, 200, "reads by GET stay open, as EC2 accepts them");

    const signed = await get({ authorization: "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261129/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0" });
    assert.equal(signed.status, 200, signed.body);
    const presigned = await get({}, `${query}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20261129%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-Signature=00`);
    assert.equal(presigned.status, 200, presigned.body);
    const post = await api.handle({}, "", Buffer.from(query));
    assert.equal(post.status, 200, post.body);
  } finally {
    await h.close();
  }
});
