import assert from "node:assert/strict";
import { connect, createServer, type Socket } from "node:net";
import { test } from "node:test";
import { userInfo } from "node:os";
import { CallerIdentifier } from "./caller-identifier.ts";
import { ProcessAttributor } from "./process-attributor.ts";
import { loadSockDiag } from "./sock-diag.ts";

const linux = process.platform === "linux";

/** A loopback connection whose client end this process holds; resolves with the server's end. */
async function connection(): Promise<{ server: Socket; close: () => void }> {
  const listener = createServer();
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const accepted = new Promise<Socket>((resolve) => listener.once("connection", resolve));
  const client = connect((listener.address() as { port: number }).port, "127.0.0.1");
  const server = await accepted;
  return {
    server,
    close: () => {
      client.destroy();
      server.destroy();
      listener.close();
    },
  };
}

for (const [name, sockDiag] of [
  ["sock_diag addon", loadSockDiag()],
  ["/proc/net/tcp fallback", null],
] as const) {
  test(`caller-identifier: names the process holding the client end before answering (${name})`, { skip: !linux ? "Linux /proc" : name.startsWith("sock") && sockDiag === null ? "addon not built" : false }, async () => {
    const { server, close } = await connection();
    try {
      const identifier = new CallerIdentifier({ attributor: new ProcessAttributor(), sockDiag, boundMs: 10_000 });
      const waiting = identifier.identify(server);
      assert.ok(waiting !== null);
      await waiting;
      const result = identifier.resultFor(server);
      assert.equal(result?.status, "attributed");
      assert.equal(result?.process?.pid, process.pid);
      assert.deepEqual(result?.process?.command.slice(0, 1), [process.execPath]);
      assert.equal(result?.process?.exe, process.execPath);
      assert.equal(result?.process?.uid, process.getuid!());
      assert.equal(result?.process?.user, userInfo().username);
      assert.equal(result?.process?.parents[0]?.pid, process.ppid);
      assert.equal(identifier.identify(server), null, "once per connection");
    } finally {
      close();
    }
  });
}

test("caller-identifier: a caller that is not on loopback is left to the off-path queue", () => {
  const identifier = new CallerIdentifier({ attributor: new ProcessAttributor(), sockDiag: null });
  assert.equal(identifier.identify({ remoteAddress: "10.0.0.7", remotePort: 5000, localAddress: "10.0.0.1", localPort: 80 }), null);
});

test("caller-identifier: the answer waits no longer than the bound", async () => {
  const slow = new ProcessAttributor({ reader: { readFile: () => new Promise(() => undefined), readdir: async () => [], readlink: async () => "", ownerUid: async () => 0 } });
  const identifier = new CallerIdentifier({ attributor: slow, sockDiag: null, boundMs: 30 });
  const started = performance.now();
  await identifier.identify({ remoteAddress: "127.0.0.1", remotePort: 5000, localAddress: "127.0.0.1", localPort: 80 });
  assert.ok(performance.now() - started < 1000);
  assert.equal(identifier.resultFor({}), undefined);
});
