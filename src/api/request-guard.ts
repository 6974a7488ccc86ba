/**
 * Who may drive the local API: a browser page on another site must not, directly (a form or
 * fetch from https://evil.example) or by DNS rebinding (evil.example re-pointed at 127.0.0.1, so
 * the page's requests become "same-origin" with a foreign Host). docs/behaviour.md, "What the API
 * refuses, and why".
 *
 * - Host must be an IP literal, `localhost` or a name under `.localhost` (RFC 6761: they resolve
 *   to loopback and cannot be rebound), or a name configured with --allowed-hosts. A rebinding
 *   attack needs a name the attacker controls, so a literal address is safe wherever it points.
 * - Origin, when sent, must be the Host the request was sent to (scheme aside); `Origin: null`
 *   (sandboxed frames, file: pages) is refused.
 * - Sec-Fetch-Site, when sent, must be `same-origin` or `none` (typed into the address bar):
 *   `same-site` is another port of localhost, i.e. another local web app.
 * AWS SDKs and CLIs send neither Origin nor Sec-Fetch-Site, so they are unaffected.
 */
import { isIP } from "node:net";

export interface RequestGuardOptions {
  /** Extra Host names the API answers (lower case, without port), e.g. a compose service name. */
  readonly allowedHosts?: readonly string[];
}

export type Refusal =
  | { readonly reason: "host"; readonly message: string }
  | { readonly reason: "cross-site"; readonly message: string };

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const LOOPBACK_NAME = "localhost";
const SAFE_FETCH_SITES: ReadonlySet<string> = new Set(["same-origin", "none"]);

export function createRequestGuard(options: RequestGuardOptions = {}): (headers: Headers) => Refusal | undefined {
  const allowed = new Set((options.allowedHosts ?? []).map((name) => name.toLowerCase()));
  return (headers) => {
    const host = single(headers.host);
    if (host !== undefined && !isAllowedHost(hostnameOf(host), allowed)) {
      return {
        reason: "host",
        message: `The Host '${host.slice(0, 100)}' is not one this emulator answers; use an IP address or localhost, or allow the name with --allowed-hosts.`,
      };
    }
    const origin = single(headers.origin);
    if (origin !== undefined && origin !== "" && !sameHost(origin, host)) {
      return { reason: "cross-site", message: `Requests from the web origin '${origin.slice(0, 100)}' are refused; only this API's own pages may call it from a browser.` };
    }
    const site = single(headers["sec-fetch-site"]);
    if (site !== undefined && !SAFE_FETCH_SITES.has(site.toLowerCase())) {
      return { reason: "cross-site", message: `A ${site.slice(0, 20)} request from a browser is refused; only this API's own pages may call it.` };
    }
    return undefined;
  };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `127.0.0.1:4566` -> `127.0.0.1`, `[::1]:4566` -> `::1`, `Name.Example.` -> `name.example`. */
export function hostnameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith("[")) return trimmed.slice(1, trimmed.indexOf("]") === -1 ? undefined : trimmed.indexOf("]"));
  const colon = trimmed.lastIndexOf(":");
  const name = colon === -1 ? trimmed : trimmed.slice(0, colon);
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

function isAllowedHost(name: string, allowed: ReadonlySet<string>): boolean {
  if (isIP(name) !== 0) return true;
  if (name === LOOPBACK_NAME || name.endsWith(`.${LOOPBACK_NAME}`)) return true;
  return allowed.has(name);
}

function sameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}
