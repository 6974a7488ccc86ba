/**
 * Callers that reach an instance's IMDS from inside a network namespace `imds-lab run` built
 * (docs/run.md). Their addresses are not this host's, yet they are local processes: attribution
 * reads their namespace's TCP table through one of its processes, and the report knows how many
 * routed hops away they sit, because imds-lab built the chain.
 */
export interface NamespaceCallers {
  /** /proc/<pid> of a process inside the namespace (COMMAND). */
  readonly procDir: string;
  /** The caller's source addresses in that namespace. */
  readonly addresses: readonly string[];
  /** The hop limit a caller there needs: the chain's length. */
  readonly hops: number;
}

/** The namespaces currently in use; one per running sandbox, registered and removed by `imds-lab run`. */
export class NamespaceCallerRegistry {
  private readonly entries = new Set<NamespaceCallers>();

  add(entry: NamespaceCallers): () => void {
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  list(): NamespaceCallers[] {
    return [...this.entries];
  }

  isCallerAddress(address: string): boolean {
    for (const entry of this.entries) if (entry.addresses.includes(address)) return true;
    return false;
  }
}
