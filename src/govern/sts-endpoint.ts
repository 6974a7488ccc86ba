/**
 * A sliver of STS (Query protocol, version 2011-06-15) at `POST /_imds-lab/sts`, so the real
 * clients can close the loop:
 *   aws sts decode-authorization-message --encoded-message … --endpoint-url http://…/_imds-lab/sts
 *   aws sts get-caller-identity --endpoint-url http://…/_imds-lab/sts
 * DecodeAuthorizationMessage needs `sts:DecodeAuthorizationMessage` (IAM evaluates it like any
 * action); GetCallerIdentity needs no permission, as on AWS. Bodies and errors follow STS's XML.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDomainError } from "../domain/errors.ts";
import { denialReason } from "../domain/policy/authorization-message.ts";
import { authorizeAll } from "../domain/policy/evaluate-policy.ts";
import { globalContext } from "../domain/policy/ec2-authorization.ts";
import { PATH_STS } from "../api/control-paths.ts";
import { escapeXmlText } from "../ec2/xml.ts";
import type { AssumedRoleSessions } from "./assumed-role-sessions.ts";
import { decodeAuthorizationMessage } from "./authorization-codec.ts";
import { policiesFor } from "./authorizer.ts";
import type { GovernanceState } from "./governance-state.ts";
import type { Principals } from "./principals.ts";
import { verifySigV4 } from "./sigv4-verifier.ts";

const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

export interface StsDeps {
  readonly state: GovernanceState;
  readonly principals: Principals;
  readonly verify: boolean;
  readonly nowMs: () => number;
  readonly defaultRegion: string;
  /** AssumeRole issues credentials here; absent, AssumeRole is not offered. */
  readonly sessions?: AssumedRoleSessions;
}

/** EC2's authentication codes in STS's spelling (STS API reference, Common Errors). */
const STS_CODES: Record<string, string> = {
  AuthFailure: "InvalidClientTokenId",
  MissingParameter: "MissingAuthenticationToken",
};
const STATUS: Record<string, number> = {
  InvalidClientTokenId: 403,
  MissingAuthenticationToken: 403,
  SignatureDoesNotMatch: 403,
  AccessDenied: 403,
  IncompleteSignature: 400,
  RequestExpired: 400,
  InvalidAuthorizationMessageException: 400,
  InvalidAction: 400,
  ValidationError: 400,
};

class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, { "Content-Type": "text/xml", "x-amzn-RequestId": requestId }).end(xml);
}

function success(action: string, result: Record<string, string>, requestId: string): string {
  const members = Object.entries(result).map(([k, v]) => `<${k}>${escapeXmlText(v)}</${k}>`).join("");
  return (
    `<${action}Response xmlns="${STS_NAMESPACE}"><${action}Result>${members}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

function failure(code: string, message: string, requestId: string): string {
  return (
    `<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>Sender</Type><Code>${escapeXmlText(code)}</Code>` +
    `<Message>${escapeXmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function scopeOf(req: IncomingMessage): { accessKeyId: string | undefined; region: string | undefined } {
  const credential = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ""));
  return { accessKeyId: credential?.[1], region: credential?.[2] };
}

export function createStsRoute(deps: StsDeps) {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const requestId = randomUUID();
    try {
      const url = req.url ?? PATH_STS;
      const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
      if (deps.verify) {
        await verifySigV4(
          { method: req.method ?? "POST", path: url.split("?")[0]!, query, headers: req.headers, body },
          { service: "sts", nowMs: deps.nowMs(), secretFor: (id) => deps.principals.secretFor(id) },
        );
      }
      const params = new URLSearchParams(query.length > 0 ? query : body.toString("utf8"));
      const scope = scopeOf(req);
      const accountId = deps.principals.accountOf(scope.accessKeyId);
      const caller = deps.principals.callerOf(scope.accessKeyId, accountId);
      const action = params.get("Action");
      if (action === "GetCallerIdentity") {
        send(res, 200, success(action, { Arn: caller.arn, UserId: caller.id, Account: caller.accountId }, requestId), requestId);
        return;
      }
      if (action === "AssumeRole" && deps.sessions !== undefined) {
        const xml = assumeRole(params, caller, deps.sessions, { ...deps, region: scope.region ?? deps.defaultRegion, accountId }, requestId);
        send(res, 200, xml, requestId);
        return;
      }
      if (action !== "DecodeAuthorizationMessage") throw new StsError("InvalidAction", `Could not find operation ${action ?? ""} for version 2011-06-15`);
      const request = {
        action: "sts:DecodeAuthorizationMessage",
        resource: "*",
        context: globalContext({ principal: caller, region: scope.region ?? deps.defaultRegion, accountId, nowMs: deps.nowMs() }),
      };
      const denied = deps.state.hasPolicies() ? authorizeAll(policiesFor(deps.state, caller), [request]) : undefined;
      if (denied !== undefined) {
        throw new StsError("AccessDenied", `User: ${caller.arn} is not authorized to perform: ${request.action} ${denialReason(denied.result, request.action)}`);
      }
      const decoded = decodeAuthorizationMessage(params.get("EncodedMessage") ?? "");
      send(res, 200, success(action, { DecodedMessage: JSON.stringify(decoded) }, requestId), requestId);
    } catch (err) {
      const raw = err instanceof StsError || isDomainError(err) ? (err as { code: string }).code : undefined;
      if (raw === undefined) throw err;
      const code = STS_CODES[raw] ?? raw;
      send(res, STATUS[code] ?? 400, failure(code, (err as Error).message, requestId), requestId);
    }
  };
}

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * AssumeRole (STS API reference): any role ARN of a 12-digit account is assumable (imds-lab has
 * no trust policies); with policies configured, the caller needs sts:AssumeRole on the role.
 */
function assumeRole(
  params: URLSearchParams,
  caller: ReturnType<Principals["callerOf"]>,
  sessions: AssumedRoleSessions,
  deps: StsDeps & { region: string; accountId: string },
  requestId: string,
): string {
  const roleArn = params.get("RoleArn") ?? "";
  const sessionName = params.get("RoleSessionName") ?? "";
  const durationText = params.get("DurationSeconds") ?? "3600";
  const role = ROLE_ARN.exec(roleArn);
  if (roleArn === "") throw new StsError("ValidationError", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
  if (role === null) throw new StsError("ValidationError", `${roleArn} is invalid`);
  if (!SESSION_NAME.test(sessionName)) {
    throw new StsError("ValidationError", `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const durationSeconds = Number(durationText);
  if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
    throw new StsError("ValidationError", `1 validation error detected: Value '${durationText}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200`);
  }
  const request = {
    action: "sts:AssumeRole",
    resource: roleArn,
    context: globalContext({ principal: caller, region: deps.region, accountId: deps.accountId, nowMs: deps.nowMs() }),
  };
  const denied = deps.state.hasPolicies() ? authorizeAll(policiesFor(deps.state, caller), [request]) : undefined;
  if (denied !== undefined) {
    throw new StsError("AccessDenied", `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  const session = sessions.issue({ accountId: role[1]!, roleName: role[2]!, sessionName, durationSeconds, nowMs: deps.nowMs() });
  const expiration = new Date(session.expiresAtMs).toISOString().replace(/\.\d{3}Z$/, "Z");
  return (
    `<AssumeRoleResponse xmlns="${STS_NAMESPACE}"><AssumeRoleResult>` +
    `<AssumedRoleUser><AssumedRoleId>${session.roleId}:${escapeXmlText(sessionName)}</AssumedRoleId>` +
    `<Arn>arn:aws:sts::${session.accountId}:assumed-role/${escapeXmlText(session.roleName)}/${escapeXmlText(sessionName)}</Arn></AssumedRoleUser>` +
    `<Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${escapeXmlText(session.secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${escapeXmlText(session.sessionToken)}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
    `</AssumeRoleResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></AssumeRoleResponse>`
  );
}
