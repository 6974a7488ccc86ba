import { test } from "node:test";
import assert from "node:assert/strict";
import { formatEc2Json } from "./json-text.ts";

test("formatEc2Json: two-space indent, ' : ' separators, keys in the given order", () => {
  assert.equal(formatEc2Json({ Code: "Success", Count: 3, Ok: true }), '{\n  "Code" : "Success",\n  "Count" : 3,\n  "Ok" : true\n}');
});

test("formatEc2Json: null and undefined values are null", () => {
  assert.equal(formatEc2Json({ a: null, b: undefined }), '{\n  "a" : null,\n  "b" : null\n}');
});

test("formatEc2Json: nested objects indent further; arrays stay on one line, empty as [ ] and { }", () => {
  assert.equal(
    formatEc2Json({ outer: { inner: "x" }, list: ["a", "b"], none: [], nothing: {} }),
    '{\n  "outer" : {\n    "inner" : "x"\n  },\n  "list" : [ "a", "b" ],\n  "none" : [ ],\n  "nothing" : { }\n}',
  );
});

test("formatEc2Json: strings are JSON-escaped", () => {
  assert.equal(formatEc2Json({ 'k"': 'v\n"' }), '{\n  "k\\"" : "v\\n\\""\n}');
});

test("formatEc2Json: the output parses back to the same value", () => {
  const value = { accountId: "123456789012", billingProducts: null, list: [1, { a: "b" }], nested: { deeper: { x: [] } } };
  assert.deepEqual(JSON.parse(formatEc2Json(value)), value);
});
