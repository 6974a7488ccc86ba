/**
 * A sliver of AWS Organizations (JSON 1.1, `X-Amz-Target: AWSOrganizationsV20161128.<Op>`):
 * ListAccounts over the accounts imds-lab knows (the default account, the accounts of its
 * instances, account defaults and assumed roles), as one organization whose management account
 * is the default account. Enough for `audit --role-name` to walk an organization.
 */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDomainError } from "../domain/errors.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";

export const ORGANIZATIONS_TARGET_PREFIX = "AWSOrganizationsV20161128.";
const CONTENT_TYPE = "application/x-amz-json-1.1";
const PAGE = 20;

export interface OrganizationsDeps {
  readonly managementAccountId: string;
  readonly knownAccounts: () => readonly string[];
  /** When each account was first seen, for JoinedTimestamp; the emulator's start for the others. */
  readonly startedMs: number;
  readonly authenticate?: (request: RawQueryRequest) => void | Promise<void>;
}

class OrganizationsError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function organizationId(managementAccountId: string): string {
  const digest = createHash("sha256").update(managementAccountId).digest();
  let id = "o-";
  for (let i = 0; i < 10; i++) id += "abcdefghijklmnopqrstuvwxyz0123456789"[digest[i]! % 36];
  return id;
}

export function isOrganizationsRequest(req: IncomingMessage): boolean {
  return String(req.headers["x-amz-target"] ?? "").startsWith(ORGANIZATIONS_TARGET_PREFIX);
}

export function createOrganizationsRoute(deps: OrganizationsDeps) {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const requestId = randomUUID();
    const answer = (status: number, value: unknown) =>
      res.writeHead(status, { "Content-Type": CONTENT_TYPE, "x-amzn-RequestId": requestId }).end(JSON.stringify(value));
    try {
      if (deps.authenticate !== undefined) {
        const url = req.url ?? "/";
        try {
          await deps.authenticate({ method: req.method ?? "POST", path: url.split("?")[0]!, query: url.includes("?") ? url.slice(url.indexOf("?") + 1) : "", headers: req.headers, body });
        } catch (err) {
          if (!isDomainError(err)) throw err;
          throw new OrganizationsError(err.code === "AuthFailure" ? "UnrecognizedClientException" : err.code, 400, err.message);
        }
      }
      const operation = String(req.headers["x-amz-target"]).slice(ORGANIZATIONS_TARGET_PREFIX.length);
      if (operation !== "ListAccounts") throw new OrganizationsError("UnknownOperationException", 400, `imds-lab emulates Organizations' ListAccounts only, not ${operation}`);
      let input: { NextToken?: unknown; MaxResults?: unknown } = {};
      try {
        input = body.length > 0 ? (JSON.parse(body.toString("utf8")) as typeof input) : {};
      } catch {
        throw new OrganizationsError("SerializationException", 400, "the body is not JSON");
      }
      const max = input.MaxResults === undefined ? PAGE : Number(input.MaxResults);
      if (!Number.isInteger(max) || max < 1 || max > PAGE) throw new OrganizationsError("InvalidInputException", 400, "MaxResults must be between 1 and 20");
      const offset = input.NextToken === undefined ? 0 : Number(Buffer.from(String(input.NextToken), "base64url").toString("utf8"));
      if (!Number.isInteger(offset) || offset < 0) throw new OrganizationsError("InvalidInputException", 400, "The NextToken is not valid");
      const org = organizationId(deps.managementAccountId);
      const accounts = [...new Set([deps.managementAccountId, ...deps.knownAccounts()])].sort();
      const page = accounts.slice(offset, offset + max).map((id) => ({
        Id: id,
        Arn: `arn:aws:organizations::${deps.managementAccountId}:account/${org}/${id}`,
        Email: `account-${id}@example.com`,
        Name: id === deps.managementAccountId ? "management" : `account-${id}`,
        Status: "ACTIVE",
        State: "ACTIVE",
        JoinedMethod: id === deps.managementAccountId ? "CREATED" : "INVITED",
        JoinedTimestamp: Math.floor(deps.startedMs / 1000),
      }));
      answer(200, { Accounts: page, ...(offset + max < accounts.length ? { NextToken: Buffer.from(String(offset + max)).toString("base64url") } : {}) });
    } catch (err) {
      if (!(err instanceof OrganizationsError)) throw err;
      answer(err.status, { __type: err.type, Message: err.message });
    }
  };
}
