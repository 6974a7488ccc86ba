import { spawn } from "node:child_process";
import { IMDS_IPV4, IMDS_IPV6, IMDS_PORT } from "./sandbox-plan.ts";
import { withPrefix } from "./sandbox-privilege.ts";

/**
 * A socket belongs to the network namespace it was created in, and a Node process cannot switch
 * namespaces per socket. So a short-lived helper started inside the namespace (`ip netns exec`)
 * opens the listening sockets and hands them over the IPC channel (SCM_RIGHTS underneath); the
 * emulator then accepts on them itself, so tokens, hop limit (IP TTL), access log and attribution
 * stay in one process and see the caller's real address.
 */
export interface NamespaceListeners {
  /** TCP handles for `ImdsHost.adoptListener`. */
  readonly ipv4: object;
  /** Null when the namespace has no IPv6 (the error says why). */
  readonly ipv6: object | null;
  readonly ipv6Error: string | null;
}

// Plain CommonJS, so it runs with the bare node binary whatever loader started imds-lab.
const HELPER = `
const net = require("node:net");
const [host4, host6, port] = process.argv.slice(1);
const open = (family, host, options) => new Promise((resolve) => {
  const server = net.createServer();
  server.once("error", (err) => resolve({ family, error: err.message }));
  server.listen({ host, port: Number(port), ...options }, () => resolve({ family, server }));
});
(async () => {
  for (const r of [await open("ipv4", host4, {}), await open("ipv6", host6, { ipv6Only: true })]) {
    if (r.server) process.send({ family: r.family }, r.server._handle);
    else process.send({ family: r.family, error: r.error });
  }
  process.once("message", () => process.exit(0));
})();
`;

const HELPER_TIMEOUT_MS = 15_000;

export function openNamespaceListeners(namespace: string, prefix: readonly string[] = []): Promise<NamespaceListeners> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const [file, argv] = withPrefix(prefix, ["ip", "netns", "exec", namespace, process.execPath, "-e", HELPER, IMDS_IPV4, IMDS_IPV6, String(IMDS_PORT)]);
  const child = spawn(file, argv, {
    stdio: ["ignore", "ignore", "pipe", "ipc"],
    env,
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    const got: { ipv4?: object; ipv6?: object | null; ipv6Error?: string | null } = {};
    const fail = (message: string) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail(`no listener from inside ${namespace} within ${HELPER_TIMEOUT_MS} ms; ${stderr.trim()}`), HELPER_TIMEOUT_MS);
    child.on("message", (message: { family: string; error?: string }, handle: object | undefined) => {
      if (message.family === "ipv4") {
        if (handle === undefined) return fail(`cannot listen at ${IMDS_IPV4}:${IMDS_PORT} inside ${namespace}: ${message.error ?? "no handle"}`);
        got.ipv4 = handle;
      } else {
        got.ipv6 = handle ?? null;
        got.ipv6Error = handle === undefined ? (message.error ?? "no handle") : null;
      }
      if (got.ipv4 !== undefined && got.ipv6 !== undefined) {
        clearTimeout(timer);
        child.send("done");
        resolve({ ipv4: got.ipv4, ipv6: got.ipv6, ipv6Error: got.ipv6Error ?? null });
      }
    });
    child.once("error", (err) => fail(`ip netns exec: ${err.message}`));
    child.once("exit", (code) => {
      if (got.ipv4 === undefined || got.ipv6 === undefined) fail(`the listener helper in ${namespace} exited (${code}): ${stderr.trim()}`);
    });
  });
}
