import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

function readNumber(path: string): number | null {
  try {
    return Number(readFileSync(path, "utf8").trim());
  } catch {
    return null;
  }
}

const USERNS_WORK = "unprivileged user namespaces work on this kernel";

/** What unprivileged user namespaces would allow here, for the explanation given to a non-root user. */
export function userNamespaceStatus(): string {
  if (readNumber("/proc/sys/kernel/unprivileged_userns_clone") === 0) return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)";
  if (readNumber("/proc/sys/user/max_user_namespaces") === 0) return "user namespaces are disabled (user.max_user_namespaces=0)";
  if (readNumber("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === 1) return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)";
  const probe = spawnSync("unshare", ["--user", "--map-root-user", "--net", "true"], { timeout: 10_000 });
  return probe.status === 0 ? USERNS_WORK : "unprivileged user namespaces are not usable here";
}

/**
 * Null when `imds-lab run` can build its sandbox, else what is missing: root, or (for anyone
 * else) unprivileged user namespaces plus util-linux's nsenter and setpriv (docs/run.md).
 */
export function sandboxUnavailable(): string | null {
  if (process.platform !== "linux") return "needs Linux network namespaces";
  const ip = spawnSync("ip", ["-V"], { encoding: "utf8", timeout: 10_000 });
  if (ip.error !== undefined || ip.status !== 0) return "needs iproute2's `ip` command (Debian: apt-get install iproute2)";
  if (process.getuid?.() === 0) return null;
  // Without root: a user namespace of our own (src/run/sandbox-privilege.ts).
  const status = userNamespaceStatus();
  if (status !== USERNS_WORK) return `needs root (run it with sudo) or unprivileged user namespaces, and ${status}`;
  for (const tool of ["nsenter", "setpriv"]) {
    if (spawnSync(tool, ["--version"], { timeout: 10_000 }).status !== 0) return `without root it needs util-linux's ${tool}`;
  }
  return null;
}
