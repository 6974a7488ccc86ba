/**
 * Query-string (presigned) SigV4: the signature and its scope travel as X-Amz-* query parameters
 * (AWS General Reference, "Authenticating requests: using query parameters",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html). Verified by
 * presigning the same request again with @smithy/signature-v4 and comparing in constant time, as
 * sigv4-verifier.ts does for the Authorization header. This is what lets a state-changing action
 * arrive by GET (docs/behaviour.md, "What the API refuses, and why").
 */
import { timingSafeEqual } from "node:crypto";
import { DomainError } from "../domain/errors.ts";
import type { RawQueryRequest } from "../ec2/query-api.ts";
import { MESSAGE_AUTH_FAILURE, MESSAGE_SIGNATURE_MISMATCH, regionScopeMessage, type VerifyOptions } from "./sigv4-verifier.ts";

const ALGORITHM = "AWS4-HMAC-SHA256";
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** SigV4 allows a presigned request to live at most seven days. */
const MAX_EXPIRES_SECONDS = 604_800;
const MAX_SKEW_MS = 15 * 60 * 1000;

const incomplete = (message: string) => new DomainError("IncompleteSignature", message);
const mismatch = () => new DomainError("SignatureDoesNotMatch", MESSAGE_SIGNATURE_MISMATCH);

/** Resolves with the access key that presigned the request, or throws EC2's error. */
export async function verifyPresigned(request: RawQueryRequest, options: VerifyOptions): Promise<string> {
  const query = new URLSearchParams(request.query);
  const required = (name: string): string => {
    const value = query.get(name);
    if (value === null || value === "") throw incomplete(`Query-string authentication requires the ${name} parameter.`);
    return value;
  };
  if (required("X-Amz-Algorithm") !== ALGORITHM) throw incomplete(`Unsupported X-Amz-Algorithm '${query.get("X-Amz-Algorithm")}'.`);
  const scope = required("X-Amz-Credential").split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request") {
    throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.");
  }
  const [accessKeyId, , region, service] = scope as [string, string, string, string];
  if (options.servesRegion !== undefined && !options.servesRegion(region)) throw new DomainError("AuthFailure", regionScopeMessage(region));
  const secret = options.secretFor(accessKeyId);
  if (secret === undefined) throw new DomainError("AuthFailure", MESSAGE_AUTH_FAILURE);
  const sessionToken = query.get("X-Amz-Security-Token") ?? undefined;
  if (secret.sessionToken !== sessionToken) throw new DomainError("AuthFailure", MESSAGE_AUTH_FAILURE);
  if (secret.expiresAtMs !== undefined && options.nowMs >= secret.expiresAtMs) throw new DomainError("AuthFailure", MESSAGE_AUTH_FAILURE);
  if (service !== options.service) throw mismatch();
  const m = AMZ_DATE.exec(required("X-Amz-Date"));
  if (m === null) throw incomplete("X-Amz-Date must be in the ISO 8601 basic format, e.g. 20261129T120000Z.");
  const signingDate = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
  const expiresIn = Number(required("X-Amz-Expires"));
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_SECONDS) {
    throw incomplete(`X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_EXPIRES_SECONDS}.`);
  }
  if (options.nowMs > signingDate.getTime() + expiresIn * 1000 || signingDate.getTime() - options.nowMs > MAX_SKEW_MS) {
    throw new DomainError("RequestExpired", "Request has expired.");
  }
  const signedHeaderNames = required("X-Amz-SignedHeaders").split(";");
  const headers: Record<string, string> = {};
  for (const name of signedHeaderNames) {
    const value = request.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  // The rest of the query is what was signed; the signer adds the X-Amz-* parameters itself.
  const rest: Record<string, string | string[]> = {};
  for (const [key, value] of query) {
    if (key.startsWith("X-Amz-")) continue;
    const existing = rest[key];
    rest[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const [{ Hash }, { SignatureV4 }] = await Promise.all([import("@smithy/hash-node"), import("@smithy/signature-v4")]);
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret.secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
    region,
    service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: true,
    applyChecksum: false,
  });
  const presigned = await signer.presign(
    {
      method: request.method,
      protocol: "http:",
      hostname: (headers.host ?? "").replace(/:\d+$/, ""),
      path: request.path.split("/").map((s) => decodeURIComponent(s)).join("/"),
      query: rest,
      headers,
      body: request.body,
    },
    { signingDate, expiresIn, signableHeaders: new Set(signedHeaderNames), signingRegion: region, signingService: service },
  );
  const expected = Buffer.from(String(presigned.query?.["X-Amz-Signature"] ?? ""));
  const given = Buffer.from(required("X-Amz-Signature"));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw mismatch();
  return accessKeyId;
}
