/**
 * The one client of the control API (`/_imds-lab/*`), used by every CLI command that talks to a
 * running emulator. Each method is typed by what its route answers; every failure becomes one
 * ControlApiError whose message is a single line for people (docs/cli.md#exit-codes).
 */
import { request } from "node:http";
import type { CallerReport } from "../domain/migration/caller-report.ts";
import type { InstanceExplanation } from "../govern/explain-service.ts";
import type { ImdsLabInstance } from "../index.ts";
import type { EventRequestBody, FaultRequestBody } from "../notices/control-requests.ts";
import type { EventView } from "../notices/event-scheduler.ts";
import type { FaultView } from "../notices/fault-scheduler.ts";
import { CONTROL_NOT_FOUND, type ControlErrorBody } from "./control-errors.ts";
import {
  PATH_CERTIFICATE,
  PATH_DECLARATIVE_POLICY,
  PATH_EVENTS,
  PATH_EXPLAIN,
  PATH_FAULTS,
  PATH_GOVERNANCE,
  PATH_HEALTH,
  PATH_INSTANCES,
  PATH_REPORT,
  type ControlMethod,
} from "./control-paths.ts";

export const DEFAULT_ENDPOINT_URL = "http://127.0.0.1:4566";
/** Commands' `--endpoint-url` defaults to this environment variable, else DEFAULT_ENDPOINT_URL. */
export const ENDPOINT_URL_ENV = "IMDS_LAB_ENDPOINT_URL";

/**
 * - `refused`: the emulator answered and said no (an unknown instance, a malformed policy, an invalid fault);
 * - `unreachable`: no answer (connection refused, unknown host, timeout);
 * - `failed`: an answer that is not the control API's (a server error, another server, an unreadable body).
 */
export type ControlFailure = "refused" | "unreachable" | "failed";

export class ControlApiError extends Error {
  constructor(
    readonly failure: ControlFailure,
    message: string,
    /** The error code of a refusal or server error, as the emulator named it. */
    readonly code?: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ControlApiError";
  }
}

/** One entry of GET /_imds-lab/instances: the same shape the package's API returns. */
export type ControlInstance = ImdsLabInstance;

export interface AccountScopeQuery {
  readonly accountId?: string | undefined;
  readonly region?: string | undefined;
}

/** GET/PUT/DELETE /_imds-lab/governance/declarative-policy. */
export interface DeclarativePolicyAnswer {
  readonly accountId: string;
  readonly region: string;
  readonly accountDefaults: unknown;
}

type Query = Readonly<Record<string, string | undefined>>;

interface Answer {
  readonly status: number;
  readonly text: string;
}

export interface ControlClientOptions {
  /** No answer within this time counts as unreachable. */
  readonly timeoutMs?: number;
  /** Sent with every request (the admin credential under `--auth verify`). */
  readonly headers?: Readonly<Record<string, string>>;
}

export class ControlClient {
  readonly endpointUrl: string;
  private readonly timeoutMs: number;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(endpointUrl: string, { timeoutMs = 30_000, headers = {} }: ControlClientOptions = {}) {
    this.endpointUrl = endpointUrl;
    this.timeoutMs = timeoutMs;
    this.headers = headers;
  }

  health(): Promise<{ ok: boolean }> {
    return this.json("GET", PATH_HEALTH);
  }

  instances(): Promise<ControlInstance[]> {
    return this.json("GET", PATH_INSTANCES);
  }

  /** The PEM certificates (DSA, then RSA) that verify identity-document signatures. */
  async certificate(): Promise<string> {
    return (await this.call("GET", PATH_CERTIFICATE)).text;
  }

  report(): Promise<CallerReport> {
    return this.json("GET", PATH_REPORT);
  }

  explain(instanceId: string): Promise<InstanceExplanation> {
    return this.json("GET", PATH_EXPLAIN, { instanceId });
  }

  scheduleEvent(body: EventRequestBody): Promise<EventView> {
    return this.json("POST", PATH_EVENTS, {}, JSON.stringify(body));
  }

  listEvents(instanceId?: string): Promise<{ events: EventView[] }> {
    return this.json("GET", PATH_EVENTS, { instanceId });
  }

  cancelEvents(filter: { id?: string | undefined; instanceId?: string | undefined }): Promise<{ cancelled: EventView[] }> {
    return this.json("DELETE", PATH_EVENTS, filter);
  }

  setFaults(body: FaultRequestBody): Promise<FaultView> {
    return this.json("PUT", PATH_FAULTS, {}, JSON.stringify(body));
  }

  listFaults(instanceId?: string): Promise<{ faults: FaultView[] }> {
    return this.json("GET", PATH_FAULTS, { instanceId });
  }

  clearFaults(instanceId?: string): Promise<{ instanceId: string; cleared: boolean }> {
    return this.json("DELETE", PATH_FAULTS, { instanceId });
  }

  /** The governance in force (secrets are never shown). */
  governance(): Promise<unknown> {
    return this.json("GET", PATH_GOVERNANCE);
  }

  /** A governance document (JSON or YAML), merged into the one in force or replacing it. */
  loadGovernance(document: string, { replace = false }: { replace?: boolean } = {}): Promise<unknown> {
    return this.json(replace ? "PUT" : "POST", PATH_GOVERNANCE, {}, document);
  }

  attachDeclarativePolicy(document: string, scope: AccountScopeQuery = {}): Promise<DeclarativePolicyAnswer> {
    return this.json("PUT", PATH_DECLARATIVE_POLICY, { ...scope }, document);
  }

  detachDeclarativePolicy(scope: AccountScopeQuery = {}): Promise<DeclarativePolicyAnswer> {
    return this.json("DELETE", PATH_DECLARATIVE_POLICY, { ...scope });
  }

  private async json<T>(method: ControlMethod, path: string, query: Query = {}, body?: string): Promise<T> {
    const answer = await this.call(method, path, query, body);
    try {
      return JSON.parse(answer.text) as T;
    } catch {
      throw notControlApi(this.endpointUrl, method, path, answer);
    }
  }

  private async call(method: ControlMethod, path: string, query: Query = {}, body?: string): Promise<Answer> {
    const url = new URL(path, this.endpointUrl);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
    const answer = await this.send(method, url, body);
    if (answer.status >= 200 && answer.status <= 299) return answer;
    throw answerError(this.endpointUrl, method, path, answer);
  }

  /**
   * One request on its own connection (node:http without an agent): a pooled keep-alive socket,
   * as fetch keeps, would hold a finished CLI process open for seconds.
   */
  private send(method: ControlMethod, url: URL, body: string | undefined): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      const headers = body === undefined ? this.headers : { ...this.headers, "Content-Type": "application/json" };
      const req = request(url, { method, agent: false, headers, timeout: this.timeoutMs }, (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", (err) => reject(unreachable(this.endpointUrl, err)));
      });
      req.on("timeout", () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on("error", (err) => reject(unreachable(this.endpointUrl, err)));
      req.end(body);
    });
  }
}

function unreachable(endpointUrl: string, err: Error): ControlApiError {
  return new ControlApiError("unreachable", `cannot reach imds-lab at ${endpointUrl}: ${err.message} (is \`imds-lab serve\` running there?)`);
}

function isErrorBody(value: unknown): value is ControlErrorBody {
  return typeof value === "object" && value !== null && typeof (value as ControlErrorBody).error === "string";
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A body that is not the control API's (an HTML error page, say): its start is enough to recognise it. */
function excerpt(text: string): string {
  const line = oneLine(text);
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The one mapping of a non-2xx answer: the control API's error JSON, or something that is not the control API. */
export function answerError(endpointUrl: string, method: ControlMethod, path: string, answer: Answer): ControlApiError {
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return notControlApi(endpointUrl, method, path, answer);
  }
  // A bare NotFound is "no such route": the endpoint is not (this version of) imds-lab.
  if (!isErrorBody(body) || body.error === CONTROL_NOT_FOUND) return notControlApi(endpointUrl, method, path, answer);
  const detail = body.message === undefined || body.message === "" ? body.error : `${body.error}: ${oneLine(body.message)}`;
  if (answer.status >= 500) return new ControlApiError("failed", `imds-lab at ${endpointUrl} failed: ${detail}`, body.error, answer.status);
  return new ControlApiError("refused", detail, body.error, answer.status);
}

function notControlApi(endpointUrl: string, method: ControlMethod, path: string, answer: Answer): ControlApiError {
  const said = answer.text.trim() === "" ? "" : `: ${excerpt(answer.text)}`;
  return new ControlApiError("failed", `${method} ${path} on ${endpointUrl} answered ${answer.status}${said} (is it imds-lab?)`, undefined, answer.status);
}
