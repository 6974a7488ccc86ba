/**
 * The accounts an audit walks: the ones given (`--accounts`) or every active account of the
 * Organization (organizations:ListAccounts), each entered by assuming the same role
 * (sts:AssumeRole), as AWS's multi-account guidance does with a member-account audit role.
 */
import { OrganizationsClient, paginateListAccounts } from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { ToolkitError } from "./cli-support.ts";
import { clientConfig, type AwsTarget } from "./ec2-target.ts";

/** Organizations and STS answer in one Region for an organization (their global endpoints). */
const GLOBAL_REGION = "us-east-1";
const SESSION_NAME = "imds-lab-audit";

export function parseAccountList(text: string): string[] {
  const accounts = [...new Set(text.split(",").map((a) => a.trim()).filter((a) => a !== ""))];
  const bad = accounts.filter((a) => !/^\d{12}$/.test(a));
  if (bad.length > 0 || accounts.length === 0) throw new ToolkitError(`--accounts takes 12-digit account ids separated by commas, not ${bad.join(", ") || "nothing"}`);
  return accounts;
}

/** The ACTIVE accounts of the caller's organization, in ListAccounts' order. */
export async function organizationAccounts(target: AwsTarget): Promise<string[]> {
  const client = new OrganizationsClient(clientConfig(target, GLOBAL_REGION));
  try {
    const out: string[] = [];
    for await (const page of paginateListAccounts({ client }, {})) {
      for (const account of page.Accounts ?? []) if (account.Id !== undefined && (account.State ?? account.Status) === "ACTIVE") out.push(account.Id);
    }
    return out;
  } finally {
    client.destroy();
  }
}

/** Temporary credentials of `roleName` in `accountId`, for the rest of the audit in that account. */
export async function assumeRoleIn(target: AwsTarget, accountId: string, roleName: string): Promise<NonNullable<AwsTarget["credentials"]>> {
  const client = new STSClient(clientConfig(target, GLOBAL_REGION));
  try {
    const answer = await client.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: SESSION_NAME }));
    const c = answer.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined) throw new ToolkitError(`AssumeRole into ${accountId} returned no credentials`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken !== undefined ? { sessionToken: c.SessionToken } : {}) };
  } finally {
    client.destroy();
  }
}
