/**
 * The metadata tree of one instance, as data: directories and leaves, each tagged with the
 * metadata version that introduced it. Listings are derived from the tree, never written by hand.
 */

export type DynamicLeafKind =
  | "role-credentials"
  | "identity-credentials"
  | "identity-pkcs7"
  | "identity-signature"
  | "identity-rsa2048";

export interface MetadataLeaf {
  readonly kind: "leaf";
  readonly since: string;
  readonly value: string | { readonly dynamic: DynamicLeafKind };
  /** user-data is served as bytes; everything else as text/plain. */
  readonly binary?: boolean;
}

export interface MetadataDirectory {
  readonly kind: "dir";
  readonly since: string;
  /** Insertion order is listing order. */
  readonly children: ReadonlyMap<string, MetadataNode>;
  /** How the parent lists this entry, when not `name/` (public-keys lists `0=my-key`). */
  readonly label?: string;
  /** The version root lists its entries without a trailing slash (`dynamic`, `meta-data`). */
  readonly plainListing?: boolean;
  /** Served (200, empty body) and listed even when empty: `tags/instance` of an untagged instance. */
  readonly allowEmpty?: boolean;
}

export type MetadataNode = MetadataLeaf | MetadataDirectory;

export function leaf(since: string, value: MetadataLeaf["value"], binary = false): MetadataLeaf {
  return binary ? { kind: "leaf", since, value, binary } : { kind: "leaf", since, value };
}

export function dir(
  since: string,
  entries: Record<string, MetadataNode | null | undefined> | ReadonlyArray<readonly [string, MetadataNode | null | undefined]>,
  extra: { label?: string; plainListing?: boolean; allowEmpty?: boolean } = {},
): MetadataDirectory {
  const children = new Map<string, MetadataNode>();
  const pairs = Array.isArray(entries) ? entries : Object.entries(entries);
  for (const [name, node] of pairs) if (node) children.set(name, node);
  return { kind: "dir", since, children, ...extra };
}

/** The node at `segments` as seen under `version`, or null (EC2 answers 404). */
export function findNode(root: MetadataDirectory, segments: readonly string[], version: string): MetadataNode | null {
  let node: MetadataNode = root;
  for (const segment of segments) {
    if (node.kind !== "dir") return null;
    const next: MetadataNode | undefined = node.children.get(segment);
    if (!next || next.since > version) return null;
    node = next;
  }
  if (node.kind === "dir" && !node.allowEmpty && visibleEntries(node, version).length === 0) return null;
  return node;
}

/** Directory listing: one entry per line, no trailing newline, sub-directories with `/`. */
export function listDirectory(directory: MetadataDirectory, version: string): string {
  return visibleEntries(directory, version).join("\n");
}

function visibleEntries(directory: MetadataDirectory, version: string): string[] {
  const lines: string[] = [];
  for (const [name, child] of directory.children) {
    if (child.since > version) continue;
    if (child.kind === "dir") {
      // EC2 answers an empty directory with 404, so it does not list one either.
      if (!child.allowEmpty && visibleEntries(child, version).length === 0) continue;
      lines.push(child.label ?? (directory.plainListing ? name : `${name}/`));
    } else {
      lines.push(name);
    }
  }
  return lines;
}
