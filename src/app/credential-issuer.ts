import type { InstanceRecord } from "../domain/instance/instance.ts";
import { formatEc2Json } from "../domain/catalogue/json-text.ts";
import type { CredentialDelivery, CredentialSource } from "../imds/instance-runtime.ts";
import type { RandomSource } from "../platform/crypto.ts";

export interface IssuedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly token: string;
  readonly issuedAtMs: number;
  readonly expiresAtMs: number;
  readonly instanceId: string;
  readonly accountId: string;
  readonly kind: "role" | "identity";
  readonly roleName: string;
  /** ec2:RoleDelivery: 1.0 for credentials fetched without a token, 2.0 with one. */
  readonly delivery: CredentialDelivery;
}

const HOUR = 3_600_000;
const ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** EC2's timestamp form in credentials: no fractional seconds (botocore parses %Y-%m-%dT%H:%M:%SZ). */
export function credentialTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * Temporary credentials for instance roles. IMDSv1 and IMDSv2 callers get different sets, as on
 * EC2. Each set lives six hours and is replaced one hour before it expires ("new credentials at
 * least five minutes before the expiration of the old"), so SDKs never see credentials close to
 * expiry and never take their static-stability paths.
 */
export class CredentialIssuer implements CredentialSource {
  private readonly current = new Map<string, IssuedCredentials>();
  private readonly byAccessKey = new Map<string, IssuedCredentials>();

  constructor(
    private readonly random: RandomSource,
    private readonly lifetimeMs = 6 * HOUR,
    private readonly refreshBeforeMs = HOUR,
  ) {}

  credentials(instance: InstanceRecord, kind: "role" | "identity", delivery: CredentialDelivery, nowMs: number) {
    const key = `${instance.instanceId}:${kind}:${delivery}`;
    let set = this.current.get(key);
    if (set === undefined || nowMs >= set.expiresAtMs - this.refreshBeforeMs) {
      // A replaced set stays valid until its Expiration, as on EC2: callers still holding it
      // (SDKs refresh only minutes before expiry) must keep passing SigV4 verification.
      for (const [accessKeyId, issued] of this.byAccessKey) if (issued.expiresAtMs <= nowMs) this.byAccessKey.delete(accessKeyId);
      set = this.issue(instance, kind, delivery, nowMs);
      this.current.set(key, set);
      this.byAccessKey.set(set.accessKeyId, set);
    }
    const body = formatEc2Json({
      Code: "Success",
      LastUpdated: credentialTimestamp(set.issuedAtMs),
      Type: "AWS-HMAC",
      AccessKeyId: set.accessKeyId,
      SecretAccessKey: set.secretAccessKey,
      Token: set.token,
      Expiration: credentialTimestamp(set.expiresAtMs),
    });
    return { body, refreshAtMs: set.expiresAtMs - this.refreshBeforeMs };
  }

  /** Which instance, role and delivery path an access key was issued to (ec2:RoleDelivery). */
  lookup(accessKeyId: string): IssuedCredentials | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  /** The set now handed out for this instance, kind and delivery path, if any. */
  issuedFor(instanceId: string, kind: "role" | "identity", delivery: CredentialDelivery): IssuedCredentials | undefined {
    return this.current.get(`${instanceId}:${kind}:${delivery}`);
  }

  /** Records a set issued elsewhere (the IMDS worker thread), so `lookup` knows it. */
  adopt(set: IssuedCredentials): void {
    this.current.set(`${set.instanceId}:${set.kind}:${set.delivery}`, set);
    this.byAccessKey.set(set.accessKeyId, set);
  }

  forget(instanceId: string): void {
    for (const [key, set] of this.current) if (set.instanceId === instanceId) this.current.delete(key);
    for (const [accessKeyId, set] of this.byAccessKey) if (set.instanceId === instanceId) this.byAccessKey.delete(accessKeyId);
  }

  private issue(instance: InstanceRecord, kind: "role" | "identity", delivery: CredentialDelivery, nowMs: number): IssuedCredentials {
    const id = Array.from(this.random.bytes(16), (b) => ALPHANUM[b % 32]).join("");
    return {
      accessKeyId: `ASIA${id}`,
      secretAccessKey: Buffer.from(this.random.bytes(30)).toString("base64"),
      token: `IQoJb3JpZ2luX2Vj${Buffer.from(this.random.bytes(240)).toString("base64")}`,
      issuedAtMs: nowMs,
      expiresAtMs: nowMs + this.lifetimeMs,
      instanceId: instance.instanceId,
      accountId: instance.accountId,
      kind,
      roleName: kind === "role" ? (instance.iamRole?.roleName ?? "") : "ec2-instance",
      delivery,
    };
  }
}
