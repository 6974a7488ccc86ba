/**
 * Temporary credentials that STS AssumeRole issued: each key signs as the role's account, so a
 * toolkit that assumes a role in account B reads account B's instances and metrics. Held in
 * memory, as the instance-role credentials are; they expire like AWS's (DurationSeconds).
 */
import type { RandomSource } from "../platform/crypto.ts";

export interface AssumedRoleSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresAtMs: number;
  readonly accountId: string;
  readonly roleName: string;
  readonly sessionName: string;
  /** AROA…: the role's unique id, stable per role ARN. */
  readonly roleId: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function idText(bytes: Uint8Array, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE32[bytes[i % bytes.length]! % 32];
  return out;
}

export class AssumedRoleSessions {
  private readonly byAccessKey = new Map<string, AssumedRoleSession>();
  private readonly roleIds = new Map<string, string>();

  constructor(private readonly random: RandomSource) {}

  issue(request: { accountId: string; roleName: string; sessionName: string; durationSeconds: number; nowMs: number }): AssumedRoleSession {
    for (const [key, s] of this.byAccessKey) if (s.expiresAtMs <= request.nowMs) this.byAccessKey.delete(key);
    const roleKey = `${request.accountId}/${request.roleName}`;
    let roleId = this.roleIds.get(roleKey);
    if (roleId === undefined) {
      roleId = `AROA${idText(this.random.bytes(16), 17)}`;
      this.roleIds.set(roleKey, roleId);
    }
    const session: AssumedRoleSession = {
      // ASIA: the prefix of temporary (STS) access keys.
      accessKeyId: `ASIA${idText(this.random.bytes(16), 16)}`,
      secretAccessKey: Buffer.from(this.random.bytes(30)).toString("base64"),
      sessionToken: Buffer.from(this.random.bytes(96)).toString("base64"),
      expiresAtMs: request.nowMs + request.durationSeconds * 1000,
      accountId: request.accountId,
      roleName: request.roleName,
      sessionName: request.sessionName,
      roleId,
    };
    this.byAccessKey.set(session.accessKeyId, session);
    return session;
  }

  lookup(accessKeyId: string): AssumedRoleSession | undefined {
    return this.byAccessKey.get(accessKeyId);
  }

  /** Accounts someone assumed a role in (Organizations lists them among the known accounts). */
  accounts(): string[] {
    return [...new Set([...this.byAccessKey.values()].map((s) => s.accountId))];
  }
}
