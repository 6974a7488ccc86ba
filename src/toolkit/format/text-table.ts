/** Tables for terminals (cli-table3) and Markdown, from the same rows. */
import Table from "cli-table3";

export function terminalTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] }, wordWrap: true });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

export function markdownTable(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => String(v).replace(/\|/g, "\\|").replace(/\n/g, "<br>");
  const lines = [`| ${head.map(cell).join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(" | ")} |`);
  return lines.join("\n");
}

export type OutputFormat = "table" | "json" | "markdown" | "sarif";
