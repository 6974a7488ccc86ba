import assert from "node:assert/strict";
import { it } from "node:test";
import { ControlApiError } from "../api/control-client.ts";
import { SettingsError } from "../config/settings.ts";
import { DomainError } from "../domain/errors.ts";
import { ToolkitError } from "../toolkit/cli-support.ts";
import { EXIT } from "./exit-codes.ts";
import { exitCodeFor, failureMessage, UsageError } from "./run-action.ts";

it("run-action: the emulator's refusal is 1; no answer or a failed endpoint is 3", () => {
  assert.equal(exitCodeFor(new ControlApiError("refused", "InvalidInstanceID.NotFound: gone", "InvalidInstanceID.NotFound", 404)), EXIT.refused);
  assert.equal(exitCodeFor(new ControlApiError("unreachable", "cannot reach imds-lab")), EXIT.unreachable);
  assert.equal(exitCodeFor(new ControlApiError("failed", "answered 502", undefined, 502)), EXIT.unreachable);
});

it("run-action: bad input is 2, whoever finds it", () => {
  for (const err of [new UsageError("give --file"), new ToolkitError("not an audit"), new SettingsError("httpTokens"), new DomainError("InvalidParameterValue", "no")]) {
    assert.equal(exitCodeFor(err), EXIT.usage, err.constructor.name);
  }
  assert.equal(exitCodeFor(Object.assign(new Error("Could not load credentials"), { name: "CredentialsProviderError" })), EXIT.usage);
});

it("run-action: AWS SDK answers and network errors are 3; anything else is a defect (70)", () => {
  assert.equal(exitCodeFor(Object.assign(new Error("denied"), { name: "UnauthorizedOperation", $metadata: { httpStatusCode: 403 } })), EXIT.unreachable);
  assert.equal(exitCodeFor(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })), EXIT.unreachable);
  assert.equal(exitCodeFor(new TypeError("x is undefined")), EXIT.internal);
  assert.equal(exitCodeFor("a string"), EXIT.internal);
});

it("run-action: messages are the error's own, domain errors with their code", () => {
  assert.equal(failureMessage(new DomainError("InvalidParameterValue", "bad")), "InvalidParameterValue: bad");
  assert.equal(failureMessage(new ControlApiError("refused", "MalformedPolicyDocumentException: x")), "MalformedPolicyDocumentException: x");
  assert.equal(failureMessage(new TypeError("boom")), "TypeError: boom");
});
