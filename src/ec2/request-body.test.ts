import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DomainError } from "../domain/errors.ts";
import { readRequestBody } from "./request-body.ts";

async function* chunks(parts: (string | Uint8Array)[], onRead: () => void = () => {}) {
  for (const part of parts) {
    onRead();
    yield part;
  }
}

const isTooLarge = (err: unknown) => err instanceof DomainError && err.code === "RequestEntityTooLarge";

describe("request-body.readRequestBody", () => {
  it("request-body: concatenates string and byte chunks", async () => {
    const body = await readRequestBody(chunks(["Action=", new TextEncoder().encode("DescribeInstances")]));
    assert.equal(body.toString("utf8"), "Action=DescribeInstances");
  });

  it("request-body: stops reading as soon as the limit is passed", async () => {
    let reads = 0;
    const source = chunks(["x".repeat(60), "y".repeat(60), "z".repeat(60)], () => reads++);
    await assert.rejects(readRequestBody(source, { maxBytes: 100 }), isTooLarge);
    assert.equal(reads, 2);
  });

  it("request-body: a declared Content-Length above the limit is refused before reading", async () => {
    let reads = 0;
    await assert.rejects(readRequestBody(chunks(["x"], () => reads++), { maxBytes: 10, contentLength: "11" }), isTooLarge);
    assert.equal(reads, 0);
    assert.equal((await readRequestBody(chunks(["x"]), { maxBytes: 10, contentLength: "garbage" })).length, 1);
  });
});
