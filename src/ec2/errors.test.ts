import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { XMLParser } from "fast-xml-parser";
import { DomainError } from "../domain/errors.ts";
import { ErrorCode, httpStatusForCode, MESSAGE_DRY_RUN } from "./constants.ts";
import { toQueryError } from "./errors.ts";
import { renderError } from "./xml.ts";

const reader = new XMLParser({ parseTagValue: false });

describe("errors.toQueryError", () => {
  it("errors.toQueryError: a DomainError keeps its code and message, with EC2's status", () => {
    const result = toQueryError(new DomainError(ErrorCode.DryRunOperation, MESSAGE_DRY_RUN), "req-1");
    assert.equal(result.status, 412);
    assert.equal(result.code, "DryRunOperation");
    assert.equal(result.body, renderError("DryRunOperation", MESSAGE_DRY_RUN, "req-1"));
  });

  it("errors.toQueryError: the statuses EC2 uses", () => {
    const cases: [string, number][] = [
      ["InvalidParameterValue", 400],
      ["InvalidInstanceID.NotFound", 400],
      ["InvalidLaunchTemplateName.NotFoundException", 400],
      ["UnsupportedOperation", 400],
      ["DryRunOperation", 412],
      ["UnauthorizedOperation", 403],
      ["AuthFailure", 401],
      ["SignatureDoesNotMatch", 403],
      ["RequestEntityTooLarge", 413],
      ["InternalError", 500],
      ["Unavailable", 503],
      ["SomeFutureCode.NotInOurTable", 400],
    ];
    for (const [code, status] of cases) {
      assert.equal(toQueryError(new DomainError(code, "m"), "r").status, status, code);
    }
    assert.equal(httpStatusForCode("toString"), 400, "inherited Object keys are not codes");
  });

  it("errors.toQueryError: anything else is InternalError 500 that leaks nothing", () => {
    const secret = new Error("ENOENT: /home/secret/path.db");
    for (const thrown of [secret, "a string", undefined, { code: "InvalidParameterValue", message: "duck-typed" }]) {
      const result = toQueryError(thrown, "req-2");
      assert.equal(result.status, 500);
      assert.equal(result.code, "InternalError");
      assert.ok(!result.body.includes("secret"));
      assert.ok(!result.body.includes("duck-typed"));
      assert.ok(!result.body.includes("at "), "no stack frames");
      const parsed = reader.parse(result.body) as { Response: { Errors: { Error: { Code: string; Message: string } }; RequestID: string } };
      assert.equal(parsed.Response.Errors.Error.Code, "InternalError");
      assert.equal(parsed.Response.Errors.Error.Message, "An internal error has occurred.");
      assert.equal(parsed.Response.RequestID, "req-2");
    }
  });
});
