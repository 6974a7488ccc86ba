import type { Server } from "node:http";
import { Socket } from "node:net";

/** The native call (native/ip-ttl, `acceptPending`): up to `max` connections waiting in a listen queue, as descriptors. */
export interface PendingAccepts {
  acceptPending(listenFd: number, max: number): number[];
}

/** At most this many connections taken from the queue per connection libuv accepted. */
const DRAIN_LIMIT = 1024;

/**
 * libuv accepts one connection per event-loop turn (libuv pull request 3696, in Node 20). Under
 * many busy keep-alive clients a turn serves a request on each of them, so a burst of new
 * connections drained at one per turn: on a fresh server the last ones waited seconds, until the
 * load stopped (issue 11, reproduction 7). So whenever libuv accepts one, the rest of the queue
 * is accepted at once and handed to the server as node itself would.
 */
export function acceptWholeQueue(server: Server, native: PendingAccepts): void {
  let draining = false;
  server.on("connection", () => {
    if (draining) return;
    const fd = (server as Server & { _handle?: { fd?: unknown } | null })._handle?.fd;
    if (typeof fd !== "number" || fd < 0) return;
    draining = true;
    try {
      for (const clientFd of native.acceptPending(fd, DRAIN_LIMIT)) adoptConnection(server, clientFd);
    } finally {
      draining = false;
    }
  });
}

/** What net.Server does with a connection libuv accepted (node's lib/net.js onconnection). */
function adoptConnection(server: Server, fd: number): void {
  const socket = new Socket({ fd, readable: true, writable: true, allowHalfOpen: true });
  socket.setNoDelay(true);
  // The server's bookkeeping: close() waits for these connections as for its own.
  const internals = server as Server & { _connections: number };
  internals._connections++;
  (socket as Socket & { server: Server; _server: Server }).server = server;
  (socket as Socket & { _server: Server })._server = server;
  server.emit("connection", socket);
}
