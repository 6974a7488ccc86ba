import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

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
}

export const ADMIN_PREFIX = "/_imds-lab/";

/** One listener for the EC2 Query API and the emulator's own routes. */
export async function startApiServer(options: ApiServerOptions): Promise<{ server: Server; url: string }> {
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const server = createServer({ maxHeaderSize: 16 * 1024, headersTimeout: 10_000, requestTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody && !refused) {
        refused = true;
        res.writeHead(413, { "Content-Type": "text/plain", Connection: "close" }).end("request body too large");
        req.destroy();
        return;
      }
      if (!refused) chunks.push(chunk);
    });
    req.on("end", () => {
      if (refused) return;
      if (isCrossSiteWrite(req)) {
        res.writeHead(403, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "CrossOriginRequestRefused" }));
        return;
      }
      const path = (req.url ?? "/").split("?")[0]!;
      // Registered routes first (all under /_imds-lab/ except Prometheus' conventional GET /metrics);
      // anything else outside the prefix is the EC2 Query API.
      const route = options.routes.get(`${req.method} ${path}`) ?? (path.startsWith(ADMIN_PREFIX) ? undefined : options.ec2);
      if (route === undefined) {
        res.writeHead(404, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "NotFound", path }));
        return;
      }
      Promise.resolve()
        .then(() => route(req, res, Buffer.concat(chunks)))
        .catch((err: unknown) => {
          if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
          res.end(JSON.stringify({ error: "InternalError", message: err instanceof Error ? err.message : String(err) }));
        });
    });
    req.on("error", () => req.destroy());
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
 * A browser page from another origin may post forms to a local server. AWS clients never send
 * Origin; the dashboard sends its own. Any other origin on a write is refused.
 */
function isCrossSiteWrite(req: { method?: string | undefined; headers: Record<string, string | string[] | undefined> }): boolean {
  if (req.method === "GET" || req.method === "HEAD") return false;
  const origin = req.headers.origin;
  if (typeof origin !== "string" || origin === "") return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json" }).end(`${JSON.stringify(value, null, 2)}\n`);
}
