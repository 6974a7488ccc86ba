import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

function readNumber(path: string): number | null {
  try {
    return Number(readFileSync(path, "utf8").trim());
  } catch {
    return null;
  }
}

/** What unprivileged user namespaces would allow here, for the explanation given to a non-root user. */
export function userNamespaceStatus(): string {
  if (readNumber("/proc/sys/kernel/unprivileged_userns_clone") === 0) return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)";
  if (readNumber("/proc/sys/user/max_user_namespaces") === 0) return "user namespaces are disabled (user.max_user_namespaces=0)";
  if (readNumber("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === 1) return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)";
  const probe = spawnSync("unshare", ["--user", "--map-root-user", "--net", "true"], { timeout: 10_000 });
  return probe.status === 0 ? "unprivileged user namespaces work on this kernel" : "unprivileged user namespaces are not usable here";
}

/**
 * Null when `imds-lab run` can build its sandbox, else what is missing. It needs named network
 * namespaces (`ip netns`), which take CAP_SYS_ADMIN and CAP_NET_ADMIN in the host's namespaces:
 * root, or sudo. See docs/run.md for why user namespaces alone are not enough yet.
 */
export function sandboxUnavailable(): string | null {
  if (process.platform !== "linux") return "needs Linux network namespaces";
  const ip = spawnSync("ip", ["-V"], { encoding: "utf8", timeout: 10_000 });
  if (ip.error !== undefined || ip.status !== 0) return "needs iproute2's `ip` command (Debian: apt-get install iproute2)";
  if (process.getuid?.() !== 0) {
    return `needs root to create network namespaces (run it with sudo); ${userNamespaceStatus()}, but imds-lab run does not use them yet (docs/run.md)`;
  }
  return null;
}
