import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "../errors.ts";
import { MALFORMED_POLICY, parseDeclarativePolicy } from "./declarative-policy.ts";

const assign = (value: unknown) => ({ "@@assign": value });

function policy(settings: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return { ec2_attributes: { instance_metadata_defaults: settings, ...extra } };
}

function rejects(document: unknown, pattern: RegExp): void {
  assert.throws(
    () => parseDeclarativePolicy(document),
    (err: unknown) => err instanceof DomainError && err.code === MALFORMED_POLICY && pattern.test(err.message),
  );
}

test("parseDeclarativePolicy: the AWS Organizations example sets every field and managedBy", () => {
  const parsed = parseDeclarativePolicy(
    policy(
      {
        http_tokens: assign("required"),
        http_put_response_hop_limit: assign("4"),
        http_endpoint: assign("enabled"),
        instance_metadata_tags: assign("enabled"),
        http_tokens_enforced: assign("enabled"),
      },
      { exception_message: assign("Your custom error message.https://myURL") },
    ),
  );
  assert.deepEqual(parsed, {
    managedBy: "declarative-policy",
    httpTokens: "required",
    httpPutResponseHopLimit: 4,
    httpEndpoint: "enabled",
    instanceMetadataTags: "enabled",
    httpTokensEnforced: "enabled",
    managedExceptionMessage: "Your custom error message.https://myURL",
  });
});

test("parseDeclarativePolicy: JSON text is accepted as well as a parsed object", () => {
  const text = JSON.stringify(policy({ http_tokens: assign("optional") }));
  assert.deepEqual(parseDeclarativePolicy(text), { managedBy: "declarative-policy", httpTokens: "optional" });
});

test("parseDeclarativePolicy: no_preference and hop limit -1 leave the field out, as do omitted settings", () => {
  const parsed = parseDeclarativePolicy(
    policy({
      http_tokens: assign("no_preference"),
      http_put_response_hop_limit: assign("-1"),
      http_endpoint: assign("no_preference"),
      instance_metadata_tags: assign("disabled"),
    }),
  );
  assert.deepEqual(parsed, { managedBy: "declarative-policy", instanceMetadataTags: "disabled" });
  assert.deepEqual(parseDeclarativePolicy(policy({})), { managedBy: "declarative-policy" });
});

test("parseDeclarativePolicy: the hop limit may also be a JSON integer; other EC2 attributes are ignored", () => {
  const parsed = parseDeclarativePolicy(
    policy({ http_put_response_hop_limit: assign(64) }, { serial_console_access: { status: assign("disabled") }, exception_message: assign("") }),
  );
  assert.deepEqual(parsed, { managedBy: "declarative-policy", httpPutResponseHopLimit: 64 });
});

test("parseDeclarativePolicy: a document that is not JSON or lacks the attribute is refused", () => {
  rejects("{not json", /not valid JSON/);
  rejects(42, /The policy must be a JSON object/);
  rejects({}, /ec2_attributes must be a JSON object/);
  rejects({ ec2_attributes: {} }, /no ec2_attributes\.instance_metadata_defaults/);
  rejects({ ec2_attributes: { instance_metadata_defaults: [] } }, /instance_metadata_defaults must be a JSON object/);
});

test("parseDeclarativePolicy: an unknown setting names its path", () => {
  rejects(policy({ http_token: assign("required") }), /ec2_attributes\.instance_metadata_defaults\.http_token is not a setting/);
});

test("parseDeclarativePolicy: only @@assign with a scalar is accepted", () => {
  rejects(policy({ http_tokens: assign(["required"]) }), /http_tokens must be \{ "@@assign"/);
  rejects(policy({ http_tokens: { "@@append": "required" } }), /uses @@append; declarative policies for EC2 support only @@assign/);
  rejects(policy({ http_tokens: "required" }), /http_tokens must be a JSON object/);
  rejects(policy({}, { exception_message: assign(5) }), /exception_message must be a string/);
});

test("parseDeclarativePolicy: bad values say what is allowed, and the API's no-preference gets a hint", () => {
  rejects(policy({ http_tokens: assign("require") }), /can't be 'require'; expected one of required, optional, no_preference\./);
  rejects(policy({ http_endpoint: assign("no-preference") }), /spell it no_preference/);
  rejects(policy({ http_tokens_enforced: assign("on") }), /http_tokens_enforced can't be 'on'/);
  for (const hop of ["0", "65", "-2", "abc", "2.5", ""]) {
    rejects(policy({ http_put_response_hop_limit: assign(hop) }), /expected "-1" \(no preference\) or an integer from 1 to 64/);
  }
});
