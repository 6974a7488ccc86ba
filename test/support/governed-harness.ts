/**
 * The EC2 Query API in-process with the govern feature wired as main.ts wires it: a governance
 * document (written to a temp file and read through --governance-file), an authorizer, optionally
 * SigV4 verification, and a credential issuer the tests can ask for IMDS role credentials.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import { XMLParser } from "fast-xml-parser";
import type { AppContext } from "../../src/app/app-context.ts";
import { settingsSchema, type SettingsInput } from "../../src/config/settings.ts";
import { createQueryApi } from "../../src/ec2/query-api.ts";
import { createGovernFeature, type GovernFeature } from "../../src/govern/govern-feature.ts";
import { CredentialIssuer } from "../../src/app/credential-issuer.ts";
import { createEc2Harness, seededRandom, type Ec2Harness } from "./ec2-harness.ts";

export interface GovernedHarness {
  readonly harness: Ec2Harness;
  readonly feature: GovernFeature;
  readonly credentials: CredentialIssuer;
  /**
   * One EC2 call; `accessKeyId` goes into an Authorization header with a dummy signature, or a real
   * SigV4 signature (at the harness clock's time) when `secretAccessKey` is given.
   */
  call(
    action: string,
    params?: Record<string, string>,
    options?: { accessKeyId?: string; region?: string; sessionToken?: string; secretAccessKey?: string },
  ): Promise<{ status: number; body: string; xml: any }>;
  /** Role credentials for an instance, as its IMDS would hand them out over v1 or v2. */
  roleCredentials(instanceId: string, delivery: "v1" | "v2"): { AccessKeyId: string; SecretAccessKey: string; Token: string };
}

export async function withGoverned(
  governance: unknown,
  fn: (g: GovernedHarness) => Promise<void>,
  settings: Partial<SettingsInput> = {},
): Promise<void> {
  const harness = await createEc2Harness();
  const dir = mkdtempSync(join(tmpdir(), "imds-lab-governed-"));
  try {
    const file = join(dir, "governance.json");
    writeFileSync(file, JSON.stringify(governance ?? {}));
    const credentials = new CredentialIssuer(seededRandom(7));
    const ctx = {
      settings: settingsSchema.parse({ governanceFile: file, ...settings }),
      clock: harness.clock,
      random: seededRandom(7),
      app: harness.services,
      host: harness.host,
      credentials,
      defaultInstanceId: "",
    } as unknown as AppContext;
    const feature = createGovernFeature(ctx);
    let n = 0;
    const api = createQueryApi({
      services: harness.services,
      newRequestId: () => `req-${++n}`,
      ...(feature.authorize ? { authorize: feature.authorize } : {}),
      ...(feature.authenticate ? { authenticate: feature.authenticate } : {}),
      ...(feature.resolveAccountId ? { resolveAccountId: feature.resolveAccountId } : {}),
    });
    const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === "item" });
    await fn({
      harness,
      feature,
      credentials,
      async call(action, params = {}, options = {}) {
        const body = new URLSearchParams({ Action: action, Version: "2016-11-15", ...params }).toString();
        let headers: Record<string, string> = {};
        if (options.accessKeyId !== undefined && options.secretAccessKey !== undefined) {
          const signer = new SignatureV4({
            credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey, ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}) },
            region: options.region ?? "us-east-1",
            service: "ec2",
            sha256: Hash.bind(null, "sha256"),
          });
          const request = { method: "POST", protocol: "http:", hostname: "127.0.0.1", path: "/", query: {}, headers: { host: "127.0.0.1", "content-type": "application/x-www-form-urlencoded" }, body };
          headers = (await signer.sign(request, { signingDate: new Date(harness.clock.nowMs()) })).headers as Record<string, string>;
          headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
        } else if (options.accessKeyId !== undefined) {
          headers.authorization = `AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/20261129/${options.region ?? "us-east-1"}/ec2/aws4_request, SignedHeaders=host, Signature=0`;
        }
        if (options.sessionToken !== undefined && options.secretAccessKey === undefined) headers["x-amz-security-token"] = options.sessionToken;
        const result = await api.handle(headers, "", Buffer.from(body));
        return { status: result.status, body: result.body, xml: parser.parse(result.body) };
      },
      roleCredentials(instanceId, delivery) {
        const doc = harness.services.estate.get(instanceId);
        if (doc === undefined) throw new Error(`no instance ${instanceId}`);
        return JSON.parse(credentials.credentials(doc.record, "role", delivery, harness.clock.nowMs()).body);
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await harness.close();
  }
}
