import assert from "node:assert/strict";
import { test } from "node:test";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { startApiServer } from "../api/api-server.ts";
import { rawRequest } from "../../test/support/http.ts";
import { GUARDRAILS } from "../../test/support/governance-fixtures.ts";
import { withGoverned, type GovernedHarness } from "../../test/support/governed-harness.ts";
import type { SettingsInput } from "../config/settings.ts";

const ACCOUNT = "123456789012";
const KEY = "AKIAIOSFODNN7EXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/** The feature's routes on a real listener, the EC2 route left out. */
async function withRoutes(governance: unknown, fn: (url: string, g: GovernedHarness) => Promise<void>, settings: Partial<SettingsInput> = {}): Promise<void> {
  await withGoverned(
    governance,
    async (g) => {
      const { server, url } = await startApiServer({ host: "127.0.0.1", port: 0, ec2: (_req, res) => void res.writeHead(404).end(), routes: new Map(g.feature.routes ?? []) });
      try {
        await fn(url, g);
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    settings,
  );
}

async function json(url: string, method: string, path: string, body?: unknown) {
  const response = await rawRequest(url, { method, path, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });
  return { status: response.status, body: JSON.parse(response.text()) };
}

async function sts(url: string, params: Record<string, string>, signWith?: { key: string; secret: string; nowMs: number }) {
  const body = new URLSearchParams({ Version: "2011-06-15", ...params }).toString();
  const host = new URL(url).host;
  let headers: Record<string, string> = { host, "content-type": "application/x-www-form-urlencoded" };
  if (signWith !== undefined) {
    const signer = new SignatureV4({ credentials: { accessKeyId: signWith.key, secretAccessKey: signWith.secret }, region: "us-east-1", service: "sts", sha256: Hash.bind(null, "sha256") });
    const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: "127.0.0.1", path: "/_imds-lab/sts", query: {}, headers, body }, { signingDate: new Date(signWith.nowMs) });
    headers = signed.headers as Record<string, string>;
  }
  const response = await rawRequest(url, { method: "POST", path: "/_imds-lab/sts", headers, body });
  return { status: response.status, text: response.text() };
}

test("governance routes: show, then change identity policies, SCPs and keys at run time", async () => {
  await withRoutes({}, async (url, g) => {
    assert.deepEqual((await json(url, "GET", "/_imds-lab/governance")).body, { conditionKeyValues: "requested", accessKeys: [], identityPolicies: {}, scps: {} });
    const put = await json(url, "PUT", `/_imds-lab/governance/scps?accountId=${ACCOUNT}`, [GUARDRAILS]);
    assert.equal(put.status, 200);
    assert.deepEqual(Object.keys(put.body.scps), [ACCOUNT]);
    const run = () => g.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1" });
    assert.equal((await run()).status, 403);
    assert.equal((await json(url, "DELETE", `/_imds-lab/governance/scps?accountId=${ACCOUNT}`)).status, 200);
    assert.equal((await run()).status, 200);
    const arn = `arn:aws:iam::${ACCOUNT}:root`;
    await json(url, "PUT", `/_imds-lab/governance/identity-policies?principalArn=${encodeURIComponent(arn)}`, "Statement:\n  - { Effect: Allow, Action: 'ec2:Describe*', Resource: '*' }\n");
    assert.equal((await run()).status, 403);
    await json(url, "DELETE", `/_imds-lab/governance/identity-policies?principalArn=${encodeURIComponent(arn)}`);
    assert.equal((await run()).status, 200);
    const key = await json(url, "POST", "/_imds-lab/governance/access-keys", { accessKeyId: "AKIAOTHERACCOUNT0000", secretAccessKey: "s", accountId: "210987654321" });
    assert.deepEqual(key.body.accessKeys, [{ accessKeyId: "AKIAOTHERACCOUNT0000", accountId: "210987654321", principalArn: "arn:aws:iam::210987654321:root" }]);
    assert.equal(g.feature.resolveAccountId!("AKIAOTHERACCOUNT0000"), "210987654321");
    await json(url, "DELETE", "/_imds-lab/governance/access-keys?accessKeyId=AKIAOTHERACCOUNT0000");
    assert.equal(g.feature.resolveAccountId!("AKIAOTHERACCOUNT0000"), ACCOUNT);
  });
});

test("governance routes: PUT replaces everything, POST merges; bad input answers 400 with the reason", async () => {
  await withRoutes({ scps: { [ACCOUNT]: [GUARDRAILS] } }, async (url) => {
    await json(url, "POST", "/_imds-lab/governance", { conditionKeyValues: "resolved" });
    let shown = (await json(url, "GET", "/_imds-lab/governance")).body;
    assert.equal(shown.conditionKeyValues, "resolved");
    assert.deepEqual(Object.keys(shown.scps), [ACCOUNT]);
    shown = (await json(url, "PUT", "/_imds-lab/governance", { accessKeys: [] })).body;
    assert.deepEqual(shown.scps, {});
    assert.equal(shown.conditionKeyValues, "requested");
    const malformed = await json(url, "PUT", `/_imds-lab/governance/scps?accountId=${ACCOUNT}`, [{ Statement: [{ Effect: "Deny" }] }]);
    assert.deepEqual([malformed.status, malformed.body.error], [400, "MalformedPolicyDocument"]);
    assert.equal((await json(url, "PUT", "/_imds-lab/governance/scps", [GUARDRAILS])).body.message, "the query parameter accountId is required");
    assert.equal((await json(url, "PUT", "/_imds-lab/governance", "")).status, 400);
    assert.equal((await json(url, "GET", "/_imds-lab/explain?instanceId=i-0123456789abcdef0")).status, 404);
  });
});

test("governance routes: declarative policy attach, read and detach", async () => {
  await withRoutes({}, async (url, g) => {
    const policy = { ec2_attributes: { instance_metadata_defaults: { http_tokens: { "@@assign": "required" } } } };
    const attached = await json(url, "PUT", "/_imds-lab/governance/declarative-policy?region=eu-west-1", policy);
    assert.deepEqual(attached.body, { accountId: ACCOUNT, region: "eu-west-1", accountDefaults: { managedBy: "declarative-policy", httpTokens: "required" } });
    assert.equal((await g.call("ModifyInstanceMetadataDefaults", { HttpTokens: "optional" }, { accessKeyId: "AKIDEXAMPLE", region: "eu-west-1" })).status, 400);
    assert.equal((await json(url, "GET", "/_imds-lab/governance/declarative-policy?region=eu-west-1")).body.accountDefaults.managedBy, "declarative-policy");
    assert.equal((await json(url, "DELETE", "/_imds-lab/governance/declarative-policy?region=eu-west-1")).body.accountDefaults.managedBy, "account");
    const bad = await json(url, "PUT", "/_imds-lab/governance/declarative-policy", { ec2_attributes: {} });
    assert.deepEqual([bad.status, bad.body.error], [400, "MalformedPolicyDocumentException"]);
  });
});

test("sts route: GetCallerIdentity names the caller; DecodeAuthorizationMessage decodes and is governed", async () => {
  const governance = {
    accessKeys: [{ accessKeyId: KEY, secretAccessKey: SECRET, principalArn: `arn:aws:iam::${ACCOUNT}:user/dev` }],
    scps: { [ACCOUNT]: [GUARDRAILS] },
  };
  await withRoutes(
    governance,
    async (url, g) => {
      const now = g.harness.clock.nowMs();
      const signWith = { key: KEY, secret: SECRET, nowMs: now };
      const identity = await sts(url, { Action: "GetCallerIdentity" }, signWith);
      assert.equal(identity.status, 200, identity.text);
      assert.match(identity.text, /<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user\/dev<\/Arn><UserId>AKIAIOSFODNN7EXAMPLE<\/UserId><Account>123456789012<\/Account><\/GetCallerIdentityResult>/);
      const denied = await g.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1" }, { accessKeyId: KEY, secretAccessKey: SECRET });
      assert.equal(denied.status, 403, denied.body);
      const blob = /Encoded authorization failure message: (\S+)</.exec(denied.body)![1]!;
      const decoded = await sts(url, { Action: "DecodeAuthorizationMessage", EncodedMessage: blob }, signWith);
      assert.equal(decoded.status, 200, decoded.text);
      assert.match(decoded.text, /<DecodedMessage>\{&quot;allowed&quot;:false,&quot;explicitDeny&quot;:true/);
      const garbage = await sts(url, { Action: "DecodeAuthorizationMessage", EncodedMessage: "nonsense" }, signWith);
      assert.equal(garbage.status, 400);
      assert.match(garbage.text, /<Code>InvalidAuthorizationMessageException<\/Code>/);
      assert.match((await sts(url, { Action: "GetCallerIdentity" }, { ...signWith, secret: "wrong" })).text, /<Code>SignatureDoesNotMatch<\/Code>/);
      assert.match((await sts(url, { Action: "GetCallerIdentity" }, { ...signWith, key: "AKIANOBODYEXAMPLE000" })).text, /<Code>InvalidClientTokenId<\/Code>/);
      assert.match((await sts(url, { Action: "GetCallerIdentity" })).text, /<Code>MissingAuthenticationToken<\/Code>/);
      assert.match((await sts(url, { Action: "GetSessionToken" }, signWith)).text, /<Code>InvalidAction<\/Code>/);
      assert.match((await sts(url, { Action: "AssumeRole" }, signWith)).text, /<Code>ValidationError<\/Code><Message>1 validation error detected: Value null at &apos;roleArn&apos;/);
      // With the v1-delivered role credentials, the RoleDelivery statement denies even the decoding.
      const id = String((await g.call("RunInstances", { ImageId: "ami-0abcdef1234567890", MinCount: "1", MaxCount: "1", "MetadataOptions.HttpTokens": "required", "IamInstanceProfile.Name": "app" }, { accessKeyId: KEY, secretAccessKey: SECRET })).xml.RunInstancesResponse.instancesSet.item[0].instanceId);
      const v1 = g.roleCredentials(id, "v1");
      const body = new URLSearchParams({ Version: "2011-06-15", Action: "DecodeAuthorizationMessage", EncodedMessage: blob }).toString();
      const signer = new SignatureV4({ credentials: { accessKeyId: v1.AccessKeyId, secretAccessKey: v1.SecretAccessKey, sessionToken: v1.Token }, region: "us-east-1", service: "sts", sha256: Hash.bind(null, "sha256") });
      const headers = { host: new URL(url).host, "content-type": "application/x-www-form-urlencoded" };
      const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: "127.0.0.1", path: "/_imds-lab/sts", query: {}, headers, body }, { signingDate: new Date(now) });
      const refused = await rawRequest(url, { method: "POST", path: "/_imds-lab/sts", headers: signed.headers as Record<string, string>, body });
      assert.equal(refused.status, 403);
      assert.match(refused.text(), /<Code>AccessDenied<\/Code><Message>User: arn:aws:sts::123456789012:assumed-role\/app\/i-\w+ is not authorized to perform: sts:DecodeAuthorizationMessage with an explicit deny in a service control policy<\/Message>/);
    },
    { auth: "verify" },
  );
});
