/**
 * Reading EC2 Query answers in tests: the one answer type every in-process harness returns, and
 * the one way to assert a success, an error envelope, a list and the golden bytes of an answer.
 */
import assert from "node:assert/strict";
import { assertGolden } from "./golden.ts";

/** One EC2 Query answer: HTTP status, the XML body as sent, and that body parsed (`item` always a list). */
export interface CallResult {
  readonly status: number;
  readonly body: string;
  readonly xml: any;
}

/** What an error answer must carry besides its code: the message (exact, or a pattern) and the status. */
export interface ExpectedError {
  readonly message?: string | RegExp;
  /** 400 unless given (EC2 answers DryRunOperation with 412, AuthFailure with 401, ...). */
  readonly status?: number;
}

/** The status, code and message of EC2's error envelope; fails when the answer has none. */
export function errorOf(result: CallResult): { status: number; code: string; message: string } {
  const error = result.xml?.Response?.Errors?.Error;
  assert.ok(error, `expected an error envelope, got ${result.status}: ${result.body}`);
  return { status: result.status, code: String(error.Code), message: String(error.Message) };
}

/**
 * Asserts EC2's error envelope with `code` and the status (400 unless given), and the message when
 * given (a string is `expected.message`); returns the message.
 */
export function expectError(result: CallResult, code: string, expected: string | RegExp | ExpectedError = {}): string {
  const { message, status = 400 } = typeof expected === "string" || expected instanceof RegExp ? { message: expected } : expected;
  const error = errorOf(result);
  assert.equal(error.code, code, `unexpected ${error.code}: ${error.message}`);
  assert.equal(error.status, status, `${code} with status ${error.status}`);
  if (typeof message === "string") assert.equal(error.message, message);
  else if (message instanceof RegExp) assert.match(error.message, message);
  return error.message;
}

/** Asserts a 200 and returns the parsed answer. */
export function expectOk(result: CallResult): any {
  assert.equal(result.status, 200, result.body);
  return result.xml;
}

/** The `item` list of `member` in `<{action}Response>`; an empty or absent member is an empty list. */
export function itemsOf(result: CallResult, action: string, member: string): any[] {
  const container = result.xml?.[`${action}Response`]?.[member];
  return container === "" || container === undefined ? [] : container.item;
}

/** The answer's exact bytes against test/golden/ec2/<Action>/<name>.xml. */
export function golden(action: string, name: string, result: CallResult): void {
  assertGolden(`ec2/${action}/${name}.xml`, result.body);
}
