/**
 * SigV4 verification by recomputation (ecosystem §4): the request is re-signed with
 * @smithy/signature-v4 over exactly the headers the client listed in SignedHeaders, the raw body,
 * its own date, region and service, and the two signatures are compared in constant time.
 *
 * Answers as EC2 does (the EC2 error-code page and captured answers):
 * - no signature at all: `MissingParameter: The request must contain the parameter AWSAccessKeyId`;
 * - an access key nobody issued, or temporary credentials without their session token:
 *   `AuthFailure: AWS was not able to validate the provided access credentials` (401);
 * - a wrong signature: `SignatureDoesNotMatch` with the usual sentence (403);
 * - a date more than 15 minutes away from the server's clock: `RequestExpired`;
 * - a credential scope naming a Region the endpoint does not serve: `AuthFailure` (401).
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { DomainError } from "../domain/errors.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";
import type { SigningSecret } from "./principals.ts";
import { verifyPresigned } from "./sigv4-presigned.ts";

export const MESSAGE_AUTH_FAILURE = "AWS was not able to validate the provided access credentials";
export const MESSAGE_SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
export const MESSAGE_MISSING_KEY = "The request must contain the parameter AWSAccessKeyId";
const MAX_SKEW_MS = 15 * 60 * 1000;
const ALGORITHM = "AWS4-HMAC-SHA256";
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface VerifyOptions {
  /** The signing name the scope must carry: `ec2`, `sts`. */
  readonly service: string;
  readonly nowMs: number;
  readonly secretFor: (accessKeyId: string) => SigningSecret | undefined;
  /** Regions this endpoint serves; a scope naming another is AuthFailure. Absent: any Region. */
  readonly servesRegion?: (region: string) => boolean;
}

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

function header(request: RawQueryRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function incomplete(message: string): DomainError {
  return new DomainError("IncompleteSignature", message);
}

function parseAuthorization(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) throw incomplete(`Unsupported Authorization Type '${trimmed.split(" ")[0] ?? ""}'.`);
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(",")) {
    const eq = part.indexOf("=");
    if (eq !== -1) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  for (const name of ["Credential", "SignedHeaders", "Signature"]) {
    if (!fields.has(name)) throw incomplete(`Authorization header requires '${name}' parameter.`);
  }
  const scope = fields.get("Credential")!.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request") {
    throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.");
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: fields.get("SignedHeaders")!.split(";"), signature: fields.get("Signature")! };
}

function parseAmzDate(text: string | undefined): Date {
  const m = text === undefined ? null : AMZ_DATE.exec(text);
  if (m === null) throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

function queryRecord(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

/**
 * EC2 answers a Region it does not serve (or that is not enabled) with AuthFailure; the sentence is
 * the one AWS endpoints give for a scope naming another Region.
 */
export function regionScopeMessage(region: string): string {
  return `Credential should be scoped to a valid region, not '${region.slice(0, 64)}'.`;
}

function mismatch(): DomainError {
  return new DomainError("SignatureDoesNotMatch", MESSAGE_SIGNATURE_MISMATCH);
}

/** Resolves with the access key that signed the request, or throws EC2's error. */
export async function verifySigV4(request: RawQueryRequest, options: VerifyOptions): Promise<string> {
  const authorization = header(request, "authorization");
  if (authorization === undefined) {
    if (new URLSearchParams(request.query).has("X-Amz-Signature")) return verifyPresigned(request, options);
    throw new DomainError("MissingParameter", MESSAGE_MISSING_KEY);
  }
  const auth = parseAuthorization(authorization);
  if (options.servesRegion !== undefined && !options.servesRegion(auth.region)) {
    throw new DomainError("AuthFailure", regionScopeMessage(auth.region));
  }
  const secret = options.secretFor(auth.accessKeyId);
  if (secret === undefined) throw new DomainError("AuthFailure", MESSAGE_AUTH_FAILURE);
  const token = header(request, "x-amz-security-token");
  if (secret.sessionToken !== token) throw new DomainError("AuthFailure", MESSAGE_AUTH_FAILURE);
  if (secret.expiresAtMs !== undefined && options.nowMs >= secret.expiresAtMs) throw new DomainError("AuthFailure", MESSAGE_AUTH_FAILURE);
  if (auth.service !== options.service) throw mismatch();
  const signingDate = parseAmzDate(header(request, "x-amz-date"));
  if (Math.abs(signingDate.getTime() - options.nowMs) > MAX_SKEW_MS) {
    throw new DomainError("RequestExpired", "Request has expired.");
  }
  const claimedHash = header(request, "x-amz-content-sha256");
  if (claimedHash !== undefined && claimedHash !== "UNSIGNED-PAYLOAD" && claimedHash !== createHash("sha256").update(request.body).digest("hex")) {
    throw mismatch();
  }
  const signedHeaders: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(request, name);
    if (value !== undefined) signedHeaders[name] = value;
  }
  const host = header(request, "host") ?? "";
  // Imported on the first signed request: only `--auth verify` and STS need the signer, and
  // loading it costs a serve start as much as a bare node start (docs/cli.md, "Start-up").
  const [{ Hash }, { SignatureV4 }] = await Promise.all([import("@smithy/hash-node"), import("@smithy/signature-v4")]);
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret.secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: "http:",
      hostname: host.replace(/:\d+$/, ""),
      path: request.path.split("/").map((s) => decodeURIComponent(s)).join("/"),
      query: queryRecord(request.query),
      headers: signedHeaders,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders), signingRegion: auth.region, signingService: auth.service },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ""))?.[1] ?? "";
  const given = Buffer.from(auth.signature);
  if (expected.length !== given.length || !timingSafeEqual(Buffer.from(expected), given)) throw mismatch();
  return auth.accessKeyId;
}
