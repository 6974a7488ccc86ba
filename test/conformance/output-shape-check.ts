/**
 * Walks one parsed EC2 XML answer (fast-xml-parser, every `item` an array, text untouched) against
 * the output shape of botocore's model: every element must be a member the shape names (by its
 * locationName, as EC2's query protocol writes it) and every value must have the member's type
 * (integers, booleans, timestamps, enum values, lists of `item`). Returns the findings as paths.
 */
import type { Ec2Model, ModelShape } from "./botocore-model.ts";

const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function checkAgainstShape(model: Ec2Model, shapeName: string, value: unknown, path: string, findings: string[]): void {
  const shape: ModelShape | undefined = model.shapes[shapeName];
  if (shape === undefined) return void findings.push(`${path}: shape ${shapeName} missing from the model`);
  switch (shape.type) {
    case "structure": {
      if (value === "") return; // an empty element: a structure with no members present
      if (typeof value !== "object" || value === null || Array.isArray(value)) return void findings.push(`${path}: expected a structure (${shapeName})`);
      const byWireName = new Map(Object.entries(shape.members ?? {}).map(([name, m]) => [m.locationName ?? lowerFirst(name), m]));
      for (const [element, child] of Object.entries(value as Record<string, unknown>)) {
        const member = byWireName.get(element);
        if (member === undefined) findings.push(`${path}.${element}: not a member of ${shapeName}`);
        else checkAgainstShape(model, member.shape, child, `${path}.${element}`, findings);
      }
      return;
    }
    case "list": {
      if (value === "") return;
      const items = (value as { item?: unknown[] } | null)?.item;
      if (!Array.isArray(items)) return void findings.push(`${path}: expected a list of <item> (${shapeName})`);
      items.forEach((item, i) => checkAgainstShape(model, shape.member!.shape, item, `${path}[${i}]`, findings));
      return;
    }
    case "integer":
    case "long":
      if (typeof value !== "string" || !/^-?\d+$/.test(value)) findings.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
      return;
    case "double":
    case "float":
      if (typeof value !== "string" || Number.isNaN(Number(value))) findings.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case "boolean":
      if (value !== "true" && value !== "false") findings.push(`${path}: expected true or false, got ${JSON.stringify(value)}`);
      return;
    case "timestamp":
      if (typeof value !== "string" || !ISO_TIMESTAMP.test(value)) findings.push(`${path}: expected an ISO 8601 timestamp, got ${JSON.stringify(value)}`);
      return;
    case "string":
      if (typeof value !== "string") return void findings.push(`${path}: expected text (${shapeName})`);
      if (shape.enum !== undefined && value !== "" && !shape.enum.includes(value)) findings.push(`${path}: ${JSON.stringify(value)} is not a value of ${shapeName}`);
      return;
    default:
      return;
  }
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
