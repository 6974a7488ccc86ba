/**
 * The paths of the emulator's control API, for the routes that answer them and the clients that
 * call them (the CLI, the dashboard's server side, tests' helpers). Documented in docs/cli.md#the-control-api.
 * The dashboard's browser code cannot import TypeScript and spells the few it uses itself.
 */

/** Everything of the emulator's own lives under this prefix; the rest of the port is the EC2 Query API. */
export const CONTROL_PREFIX = "/_imds-lab/";

export const PATH_HEALTH = `${CONTROL_PREFIX}health`;
export const PATH_INSTANCES = `${CONTROL_PREFIX}instances`;
export const PATH_CERTIFICATE = `${CONTROL_PREFIX}certificate`;

/** The observe feature: caller report, callers, access log and the metrics. */
export const PATH_REPORT = `${CONTROL_PREFIX}report`;
export const PATH_CALLERS = `${CONTROL_PREFIX}callers`;
export const PATH_ACCESS_LOG = `${CONTROL_PREFIX}access-log`;
export const PATH_METRICS = `${CONTROL_PREFIX}metrics`;
/** Prometheus' conventional scrape path: the one control route outside the prefix. */
export const PATH_PROMETHEUS_METRICS = "/metrics";

/** The notices feature: scheduled events and injected faults. */
export const PATH_EVENTS = `${CONTROL_PREFIX}events`;
export const PATH_FAULTS = `${CONTROL_PREFIX}faults`;

/** The govern feature: explain, governance at run time, and the sliver of STS. */
export const PATH_EXPLAIN = `${CONTROL_PREFIX}explain`;
export const PATH_GOVERNANCE = `${CONTROL_PREFIX}governance`;
export const PATH_IDENTITY_POLICIES = `${PATH_GOVERNANCE}/identity-policies`;
export const PATH_SCPS = `${PATH_GOVERNANCE}/scps`;
export const PATH_ACCESS_KEYS = `${PATH_GOVERNANCE}/access-keys`;
export const PATH_DECLARATIVE_POLICY = `${PATH_GOVERNANCE}/declarative-policy`;
export const PATH_STS = `${CONTROL_PREFIX}sts`;

/** The dashboard: the page and its files under the directory, its one JSON view, and a redirect from the bare name. */
export const PATH_DASHBOARD_REDIRECT = `${CONTROL_PREFIX}dashboard`;
export const PATH_DASHBOARD = `${PATH_DASHBOARD_REDIRECT}/`;
export const PATH_DASHBOARD_OVERVIEW = `${PATH_DASHBOARD}api/overview`;

export type ControlMethod = "GET" | "PUT" | "POST" | "DELETE";

/** The key of a route table entry: `GET /_imds-lab/health`. */
export function routeKey(method: ControlMethod, path: string): string {
  return `${method} ${path}`;
}

export function isControlPath(path: string): boolean {
  return path.startsWith(CONTROL_PREFIX);
}
