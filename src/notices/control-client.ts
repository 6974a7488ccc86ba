import { request } from "node:http";
import { adminAuthHeaders } from "../api/admin-credential.ts";

/** The CLI's side of the control API (`imds-lab events ...`, `imds-lab faults ...`). */
export class ControlApiError extends Error {}

export const DEFAULT_ENDPOINT_URL = "http://127.0.0.1:4566";

/**
 * One request on its own connection (node:http without an agent): a pooled keep-alive socket, as
 * fetch keeps, would hold a finished CLI process open for seconds.
 */
export async function callControlApi(endpointUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = new URL(path, endpointUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const headers = { ...adminAuthHeaders(), ...(payload === undefined ? {} : { "Content-Type": "application/json" }) };
    const req = request(url, { method, agent: false, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", (err) => reject(new ControlApiError(`cannot reach ${endpointUrl}: ${err.message}`)));
    req.end(payload);
  });
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Not JSON: reported as text below.
  }
  if (status < 200 || status > 299) {
    const detail = typeof value === "object" && value !== null ? `${(value as { error?: string }).error}: ${(value as { message?: string }).message}` : text;
    throw new ControlApiError(`${endpointUrl} answered ${status} (${detail})`);
  }
  return value;
}
