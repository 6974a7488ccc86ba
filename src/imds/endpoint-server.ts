import { createServer, ServerResponse, type IncomingMessage, type RequestListener, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import { acceptWholeQueue, type PendingAccepts } from "./accept-queue.ts";
import type { EndpointAddress } from "../domain/instance/endpoint.ts";
import { errorPage, MAX_HEADER_BYTES } from "./constants.ts";

export type { EndpointAddress };

/** One HTTP listener for an instance's decision table (its IPv4 endpoint, or its IPv6 one). */
export function createEndpointServer(handler: RequestListener, pendingAccepts?: PendingAccepts): Server {
  const server = createServer(
    {
      maxHeaderSize: MAX_HEADER_BYTES,
      keepAliveTimeout: 5_000,
      headersTimeout: 10_000,
      requestTimeout: 15_000,
      // Without Host node sends its own bare 400 (no Server: EC2ws); IMDS is reached by address.
      requireHostHeader: false,
    },
    handler,
  );
  server.on("clientError", answerClientError);
  // node answers any Expect but 100-continue with its own 417; the decision table answers instead.
  server.on("checkExpectation", handler);
  // CONNECT never reaches "request": with no listener node drops the connection unanswered.
  server.on("connect", (req: IncomingMessage, socket: Duplex) => answerConnect(handler, req, socket as Socket));
  if (pendingAccepts !== undefined) acceptWholeQueue(server, pendingAccepts);
  return server;
}

/** Listens at `address` (port 0 picks a free one) and resolves to the bound address. */
export function listenAt(server: Server, address: EndpointAddress): Promise<EndpointAddress> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once("error", onError);
    server.listen(address.port, address.host, () => {
      server.off("error", onError);
      resolve({ host: address.host, port: (server.address() as AddressInfo).port });
    });
  });
}

/** Stops listening and drops every connection, idle or held, so the port refuses at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** CONNECT goes through the same decision table as every other method (405, or 403 when disabled). */
function answerConnect(handler: RequestListener, req: IncomingMessage, socket: Socket): void {
  // node removed its own error handling from this socket before handing it over.
  socket.on("error", () => socket.destroy());
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.on("finish", () => {
    res.detachSocket(socket);
    socket.end();
  });
  handler(req, res);
}

/** Malformed HTTP and oversized headers get a defined answer, then the connection closes. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Bytes after a request whose answer is already on the wire: a second answer would corrupt the
  // first (node's default handler makes the same check), so the connection just ends after it.
  if ((socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage?.headersSent) {
    socket.end();
    return;
  }
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const body = errorPage(status, tooLarge ? "Request Header Fields Too Large" : "Bad Request");
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      `Content-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body, "latin1")}\r\nServer: EC2ws\r\nConnection: close\r\n\r\n${body}`,
  );
}
