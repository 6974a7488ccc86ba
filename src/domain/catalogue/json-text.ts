/**
 * EC2 pretty-prints its JSON documents (credentials, iam/info, the identity document) with a
 * two-space indent and " : " between key and value, and writes empty arrays as "[ ]".
 */
export function formatEc2Json(value: unknown, indent = ""): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[ ]";
    return `[ ${value.map((v) => formatEc2Json(v, inner)).join(", ")} ]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{ }";
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${formatEc2Json(v, inner)}`);
  return `{\n${lines.join(",\n")}\n${indent}}`;
}
