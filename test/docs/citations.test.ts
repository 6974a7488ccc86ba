// Comments cite what anyone can open: a section of docs/ in this repository or a public AWS page
// (docs/sources.md lists those). These tests keep it so: no code names of a private notebook, and
// every docs/ link, from the code or between the documents, lands on a heading or an anchor.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** "spec §3.2", "[INF]", "MODEL", "UG-OPT", "shared/spec/…", "ecosystem.md §3": none of these is in the repository. */
const PRIVATE_CITATION = /spec §|\[INF\]|\bMODEL\b|\bUG-[A-Z]+|shared\/spec|ecosystem\.md/;
/** `docs/behaviour.md#hop-limit` in a comment, with or without the anchor. */
const DOCS_CITATION = /\bdocs\/([\w.-]+\.md)(?:#([\w-]+))?/g;
/** `](sources.md#x)`, `](#x)`, `](behaviour.md)` in a document. */
const MARKDOWN_LINK = /\]\((?:\.\/)?([\w.-]+\.md)?(?:#([\w-]+))?\)/g;

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, keep));
    else if (keep(name)) out.push(path);
  }
  return out.sort();
}

const sourceFiles = filesUnder(join(root, "src"), (name) => /\.(ts|js|mjs|html|css)$/.test(name));
const documents = filesUnder(join(root, "docs"), (name) => name.endsWith(".md"));

/** GitHub's anchor for a heading: lower case, markup and punctuation dropped, spaces to hyphens. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(document: string): Set<string> {
  const text = readFileSync(document, "utf8").replace(/^```[\s\S]*?^```/gm, "");
  const anchors = new Set<string>();
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) anchors.add(headingSlug(heading!));
  for (const [, id] of text.matchAll(/<a id="([\w-]+)"><\/a>/g)) anchors.add(id!);
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function hasAnchor(document: string, anchor: string): boolean {
  if (!anchorCache.has(document)) anchorCache.set(document, anchorsOf(document));
  return anchorCache.get(document)!.has(anchor);
}

function brokenLink(document: string, anchor: string | undefined): string | undefined {
  if (!existsSync(document)) return "no such document";
  if (anchor !== undefined && !hasAnchor(document, anchor)) return `no heading or <a id> "${anchor}"`;
  return undefined;
}

test("citations: headingSlug follows GitHub's anchors", () => {
  assert.equal(headingSlug("Hop limit (`HttpPutResponseHopLimit`)"), "hop-limit-httpputresponsehoplimit");
  assert.equal(headingSlug("Declarative policies (AWS Organizations)"), "declarative-policies-aws-organizations");
  assert.equal(headingSlug("IMDSv1 callers, metrics and the migration toolkit"), "imdsv1-callers-metrics-and-the-migration-toolkit");
});

test("citations: no comment in src/ cites a document outside the repository", () => {
  const found: string[] = [];
  for (const file of sourceFiles) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        if (PRIVATE_CITATION.test(line)) found.push(`${relative(root, file)}:${index + 1}: ${line.trim().slice(0, 120)}`);
      });
  }
  assert.deepEqual(found, [], `cite docs/ or an AWS URL instead (docs/sources.md):\n${found.join("\n")}`);
});

test("citations: every docs/ section cited in src/ exists", () => {
  const broken: string[] = [];
  for (const file of sourceFiles) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        for (const [cited, name, anchor] of line.matchAll(DOCS_CITATION)) {
          const problem = brokenLink(join(root, "docs", name!), anchor);
          if (problem) broken.push(`${relative(root, file)}:${index + 1}: ${cited}: ${problem}`);
        }
      });
  }
  assert.deepEqual(broken, [], broken.join("\n"));
});

test("citations: every link between the documents of docs/ lands", () => {
  const broken: string[] = [];
  for (const document of documents) {
    for (const [link, name, anchor] of readFileSync(document, "utf8").matchAll(MARKDOWN_LINK)) {
      if (name === undefined && anchor === undefined) continue;
      const problem = brokenLink(name === undefined ? document : join(root, "docs", name), anchor);
      if (problem) broken.push(`${relative(root, document)}: ${link}: ${problem}`);
    }
  }
  assert.deepEqual(broken, [], broken.join("\n"));
});
