/**
 * What the access log learned about one caller of one instance's IMDS: plain data handed from
 * `src/observe` to the migration rules. A caller is a process when it could be attributed,
 * otherwise a source address and User-Agent.
 */

export interface ContainerIdentity {
  readonly runtime: "docker" | "containerd" | "cri-o" | "podman" | "kubernetes" | "lxc" | "systemd-nspawn";
  readonly id: string;
  /** The Kubernetes pod UID, when the cgroup path names one. */
  readonly podUid?: string;
}

export interface ProcessSummary {
  readonly pid: number;
  readonly command: readonly string[];
}

export interface ProcessIdentity extends ProcessSummary {
  /** /proc/<pid>/stat field 22: with the pid, names one process even after pid reuse. */
  readonly startTime: number;
  readonly comm: string;
  /** /proc/<pid>/exe: the executable (unreadable for another user's process). */
  readonly exe?: string;
  readonly uid?: number;
  /** The uid's login name on the host that saw the call. */
  readonly user?: string;
  readonly container?: ContainerIdentity;
  /** Parent, grandparent, ... as the packet analyzer logs them (up to a few). */
  readonly parents: readonly ProcessSummary[];
}

/**
 * How attribution ended: `attributed`; `not-local` (the source address is not this host's);
 * `socket-gone` (the connection closed before /proc was read); `process-not-found` (no readable
 * fd holds the socket: another user's process, or it exited); `unsupported` (no /proc);
 * `disabled` (--no-attribute-callers); `timeout`; `busy` (too many new connections at once).
 */
export type AttributionStatus =
  | "attributed"
  | "not-local"
  | "socket-gone"
  | "process-not-found"
  | "unsupported"
  | "disabled"
  | "timeout"
  | "busy";

export interface PathCount {
  readonly path: string;
  readonly count: number;
}

export interface CallerObservation {
  readonly instanceId: string;
  /** Stable grouping key: `process:<pid>:<startTime>` or `address:<ip>|<user agent>`. */
  readonly key: string;
  readonly attribution: AttributionStatus;
  readonly process?: ProcessIdentity;
  readonly remoteAddresses: readonly string[];
  readonly userAgents: readonly string[];
  readonly firstSeenMs: number;
  readonly lastSeenMs: number;
  /** Token-less GET/HEAD answered (any status but the 401 of `required`): IMDSv1 use. */
  readonly v1Requests: number;
  /** Token-less requests refused with 401 because HttpTokens=required (MetadataNoTokenRejected). */
  readonly v1Rejected: number;
  /** Requests that carried a token, and token PUTs. */
  readonly v2Requests: number;
  readonly tokenPuts: number;
  /** Token-less paths, most requested first (bounded). */
  readonly v1Paths: readonly PathCount[];
}

/** Per-instance counters with the meaning of EC2's CloudWatch metrics (docs/sources.md#cloudwatch-metrics-for-instances). */
export interface InstanceMetrics {
  readonly metadataNoToken: number;
  readonly metadataNoTokenRejected: number;
  readonly metadataWithToken: number;
  readonly tokensIssued: number;
  readonly invalidTokens: number;
  /** Token PUTs left unanswered because the caller is farther than the hop limit (when enforced). */
  readonly tokenResponsesWithheld?: number;
}

export interface InstanceObservation {
  readonly instanceId: string;
  readonly region: string;
  readonly state: string;
  readonly httpTokens: "optional" | "required";
  readonly httpPutResponseHopLimit: number;
  readonly httpEndpoint: "enabled" | "disabled";
  readonly metrics: InstanceMetrics;
}

export interface AccessLogStats {
  readonly capacity: number;
  /** Requests recorded since start. */
  readonly recorded: number;
  /** Records overwritten before they were folded into the caller statistics. */
  readonly dropped: number;
  /** Callers folded into an instance's `(other callers)` entry because the table was full. */
  readonly overflowCallers: number;
}
