/**
 * The one error answer of the control API (`/_imds-lab/*`): JSON `{ "error": code, "message": text }`,
 * with EC2's status for the code, except that a `…NotFound` code answers 404 because a control path
 * names the thing that is not there. The CLI's client (control-client.ts) reads exactly this shape.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isDomainError } from "../domain/errors.ts";
import { httpStatusForCode } from "../ec2/constants.ts";

/** What every refused control-API request answers. */
export interface ControlErrorBody {
  readonly error: string;
  readonly message: string;
}

/** A request the control API cannot read (a missing query parameter, a body that is not JSON/YAML). */
export const CONTROL_BAD_REQUEST = "BadRequest";
/** No route for the method and path. */
export const CONTROL_NOT_FOUND = "NotFound";

export function controlErrorStatus(code: string): number {
  return code.endsWith(CONTROL_NOT_FOUND) ? 404 : httpStatusForCode(code);
}

export function sendControlError(res: ServerResponse, code: string, message: string): void {
  const body: ControlErrorBody = { error: code, message };
  res.writeHead(controlErrorStatus(code), { "Content-Type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

type Route = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

/** A route whose DomainErrors are answered with their code; anything else stays the server's own failure (500). */
export function answeringDomainErrors(route: Route): Route {
  return async (req, res, body) => {
    try {
      await route(req, res, body);
    } catch (err) {
      if (!isDomainError(err)) throw err;
      sendControlError(res, err.code, err.message);
    }
  };
}
