import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { CONTENT_TYPE_XML, ErrorCode, httpStatusForCode, MAX_QUERY_BODY_BYTES, SERVER_NAME } from "../ec2/constants.ts";
import { renderError } from "../ec2/xml.ts";
import { CONTROL_NOT_FOUND, sendControlError } from "./control-errors.ts";
import { isControlPath } from "./control-paths.ts";
import { createRequestGuard, type Refusal } from "./request-guard.ts";
import { isAdminRefusal, type AdminGate } from "./admin-access.ts";

/** A route of the control API: exact method and path, answered with JSON or text. */
export type ApiRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface ApiServerOptions {
  readonly host: string;
  readonly port: number;
  /** `POST /`: the EC2 Query API. */
  readonly ec2: ApiRoute;
  /** Emulator routes keyed "GET /_imds-lab/health"; under /_imds-lab/, plus "GET /metrics". */
  readonly routes: ReadonlyMap<string, ApiRoute>;
  readonly maxBodyBytes?: number;
  /** Host names besides IP literals and localhost that requests may name (DNS rebinding guard). */
  readonly allowedHosts?: readonly string[];
  /** With --auth verify: who may call the emulator's own routes (src/api/admin-access.ts). */
  readonly adminGate?: AdminGate;
  /** Other AWS services on the same endpoint (CloudWatch, STS, Organizations), told apart by path, header or Version. */
  readonly services?: readonly { accepts(req: IncomingMessage, path: string, body: Buffer): boolean; readonly route: ApiRoute }[];
}

/** One listener for the EC2 Query API and the emulator's own routes. */
export async function startApiServer(options: ApiServerOptions): Promise<{ server: Server; url: string }> {
  const maxBody = options.maxBodyBytes ?? MAX_QUERY_BODY_BYTES;
  // The name the API was told to listen on is always one of its own.
  const guard = createRequestGuard({ allowedHosts: [...(options.allowedHosts ?? []), options.host] });
  const server = createServer({ maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 60_000 }, (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    const refusal = guard(req.headers);
    if (refusal !== undefined) {
      // Refused before the body is read: a page's request must not reach any handler.
      refuse(res, path, refusal);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody && !refused) {
        refused = true;
        res.setHeader("Connection", "close");
        sendError(res, path, ErrorCode.RequestEntityTooLarge, `The request body is over ${maxBody} bytes; at most ${maxBody} bytes are accepted.`);
        req.destroy();
        return;
      }
      if (!refused) chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      // Registered routes first (all under /_imds-lab/ except Prometheus' conventional GET /metrics);
      // anything else outside the prefix is another AWS service that recognises it, else the EC2 Query API.
      const body = Buffer.concat(chunks);
      const route =
        options.routes.get(`${req.method} ${path}`) ??
        (isControlPath(path) ? undefined : (options.services?.find((s) => s.accepts(req, path, body))?.route ?? options.ec2));
      if (route === undefined) {
        sendControlError(res, CONTROL_NOT_FOUND, `No route answers ${req.method} ${path}.`);
        return;
      }
      const routeKey = `${req.method} ${path}`;
      const gate = options.adminGate !== undefined && options.routes.has(routeKey) ? options.adminGate : undefined;
      Promise.resolve()
        .then(() => gate?.(req, routeKey, body))
        .then((admitted) => {
          if (isAdminRefusal(admitted)) return sendControlError(res, admitted.code, admitted.message);
          return route(req, res, body);
        })
        .catch((err: unknown) => {
          process.emitWarning(`API ${req.method} ${path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
          if (res.headersSent) res.end();
          else sendError(res, path, ErrorCode.InternalError, "An internal error has occurred.");
        });
    });
    req.on("error", () => req.destroy());
  });
  // Malformed HTTP never reaches the handler; answer it in the same envelope as everything else.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const [status, reason] =
      err.code === "HPE_HEADER_OVERFLOW" ? [431, "Request Header Fields Too Large"] : err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? [408, "Request Timeout"] : [400, "Bad Request"];
    const body = renderError(ErrorCode.InvalidParameterValue, "The request is not valid HTTP/1.1.", randomUUID());
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${CONTENT_TYPE_XML}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return { server, url: `http://${host}:${port}` };
}

/**
 * Errors of the EC2 port in EC2's XML envelope (any path outside /_imds-lab/); the emulator's own
 * routes answer JSON `{ error, message }` with the same code.
 */
function sendError(res: ServerResponse, path: string, code: string, message: string): void {
  if (isControlPath(path)) return sendControlError(res, code, message);
  const status = httpStatusForCode(code);
  const requestId = randomUUID();
  res.writeHead(status, { "Content-Type": CONTENT_TYPE_XML, "x-amzn-RequestId": requestId, Server: SERVER_NAME });
  res.end(renderError(code, message, requestId));
}

/** A refused browser or rebinding request: UnauthorizedOperation, 403 (docs/behaviour.md). */
function refuse(res: ServerResponse, path: string, refusal: Refusal): void {
  res.setHeader("Connection", "close");
  sendError(res, path, ErrorCode.UnauthorizedOperation, refusal.message);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(`${JSON.stringify(value, null, 2)}\n`);
}
