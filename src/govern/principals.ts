/**
 * Who an access key is: a key from the governance file, role credentials that an instance's IMDS
 * handed out (CredentialIssuer), or anyone else (auth off): the account's root user.
 */
import { instanceArn, type Principal } from "../domain/policy/ec2-authorization.ts";
import type { CredentialIssuer } from "../app/credential-issuer.ts";
import type { Instance } from "../domain/instance/instance.ts";
import type { AssumedRoleSessions } from "./assumed-role-sessions.ts";
import { defaultPrincipalArn } from "./governance-config.ts";
import type { GovernanceState } from "./governance-state.ts";

/** A caller as policies see it: `principalArn` is aws:PrincipalArn and keys identity policies. */
export interface Caller extends Principal {
  readonly principalArn: string;
}

export interface SigningSecret {
  readonly secretAccessKey: string;
  /** Role credentials are temporary: their session token must come with them. */
  readonly sessionToken?: string;
  readonly expiresAtMs?: number;
}

export interface PrincipalDeps {
  readonly state: GovernanceState;
  readonly credentials: CredentialIssuer;
  /** An instance by id, to know the Region of its role credentials. */
  readonly instance: (instanceId: string) => Instance | undefined;
  readonly defaultAccountId: string;
  /** Credentials from STS AssumeRole: they sign as the role's account. */
  readonly sessions?: AssumedRoleSessions;
}

export class Principals {
  constructor(private readonly deps: PrincipalDeps) {}

  accountOf(accessKeyId: string | undefined): string {
    if (accessKeyId === undefined) return this.deps.defaultAccountId;
    const key = this.deps.state.accessKey(accessKeyId);
    if (key !== undefined) return key.accountId;
    const session = this.deps.sessions?.lookup(accessKeyId);
    if (session !== undefined) return session.accountId;
    return this.deps.credentials.lookup(accessKeyId)?.accountId ?? this.deps.defaultAccountId;
  }

  /** The secret that must have signed a request made with this key; undefined for unknown keys. */
  secretFor(accessKeyId: string): SigningSecret | undefined {
    const key = this.deps.state.accessKey(accessKeyId);
    if (key !== undefined) return { secretAccessKey: key.secretAccessKey };
    const session = this.deps.sessions?.lookup(accessKeyId);
    if (session !== undefined) return { secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken, expiresAtMs: session.expiresAtMs };
    const issued = this.deps.credentials.lookup(accessKeyId);
    if (issued === undefined) return undefined;
    return { secretAccessKey: issued.secretAccessKey, sessionToken: issued.token, expiresAtMs: issued.expiresAtMs };
  }

  callerOf(accessKeyId: string | undefined, accountId: string): Caller {
    if (accessKeyId === undefined) {
      const arn = defaultPrincipalArn(accountId);
      return { arn, principalArn: arn, accountId, id: "anonymous" };
    }
    const key = this.deps.state.accessKey(accessKeyId);
    if (key !== undefined) return { arn: key.principalArn, principalArn: key.principalArn, accountId: key.accountId, id: accessKeyId };
    const session = this.deps.sessions?.lookup(accessKeyId);
    if (session !== undefined) {
      return {
        arn: `arn:aws:sts::${session.accountId}:assumed-role/${session.roleName}/${session.sessionName}`,
        principalArn: `arn:aws:iam::${session.accountId}:role/${session.roleName}`,
        accountId: session.accountId,
        id: `${session.roleId}:${session.sessionName}`,
      };
    }
    const issued = this.deps.credentials.lookup(accessKeyId);
    if (issued !== undefined) {
      const region = this.deps.instance(issued.instanceId)?.record.region ?? "us-east-1";
      // EC2 role sessions are named after the instance: arn:aws:sts::ACCOUNT:assumed-role/ROLE/i-…;
      // aws:PrincipalArn of a role session is the role's ARN (IAM global condition keys).
      return {
        arn: `arn:aws:sts::${issued.accountId}:assumed-role/${issued.roleName}/${issued.instanceId}`,
        principalArn: `arn:aws:iam::${issued.accountId}:role/${issued.roleName}`,
        accountId: issued.accountId,
        id: `${accessKeyId}:${issued.instanceId}`,
        roleDelivery: issued.delivery === "v2" ? "2.0" : "1.0",
        sourceInstanceArn: instanceArn(region, issued.accountId, issued.instanceId),
      };
    }
    const arn = defaultPrincipalArn(accountId);
    return { arn, principalArn: arn, accountId, id: accessKeyId };
  }
}
