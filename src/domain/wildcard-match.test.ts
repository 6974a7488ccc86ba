import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compileWildcard } from "./wildcard-match.ts";

/** The regular expression the matcher replaced: the oracle for what `*`, `?` and `\` mean. */
function regexOracle(pattern: string, { escapes = false, ignoreCase = false } = {}): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (escapes && c === "\\" && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    else if (c === "*") source += "[\\s\\S]*";
    else if (c === "?") source += "[\\s\\S]";
    else source += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, ignoreCase ? "i" : "");
}

// Short strings over a small alphabet, so that stars, marks and escapes meet real matches often.
const patternChars = fc.constantFrom("a", "b", "A", "*", "?", "\\", ".", "é", "É", "ß");
const textChars = fc.constantFrom("a", "b", "A", "*", "?", "\\", ".", "é", "É", "ß", "\n");
const pattern = fc.array(patternChars, { maxLength: 8 }).map((cs) => cs.join(""));
const text = fc.array(textChars, { maxLength: 10 }).map((cs) => cs.join(""));

for (const options of [{}, { escapes: true }, { ignoreCase: true }]) {
  test(`wildcard-match: agrees with the regular expression it replaced ${JSON.stringify(options)}`, () => {
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        const matcher = compileWildcard(p, { backslashEscapes: "escapes" in options, ignoreCase: "ignoreCase" in options });
        assert.equal(matcher.test(t), regexOracle(p, options).test(t), `pattern ${JSON.stringify(p)} text ${JSON.stringify(t)}`);
      }),
      { numRuns: 3000 },
    );
  });
}

test("wildcard-match: the issue's pathological patterns finish in well under 100 ms", () => {
  const cases: [string, string][] = [
    ["*?*?*?*?*?*?*?*?Q", "amzn2-ami-hvm-2.0.20261101.0-x86_64-gp2-with-a-long-name-for-good-measure".repeat(3)],
    ["*a*a*a*a*ab", "a".repeat(256)],
    [`${"*a".repeat(200)}b`, "a".repeat(256)],
    [`${"*?".repeat(500)}Q`, "x".repeat(1000)],
  ];
  for (const [p, t] of cases) {
    const started = performance.now();
    const matched = compileWildcard(p).test(t);
    const ms = performance.now() - started;
    assert.equal(matched, false);
    assert.ok(ms < 100, `${p.slice(0, 20)}… took ${ms.toFixed(1)} ms`);
  }
});

test("wildcard-match: segments between stars are found in order, prefix and suffix anchored", () => {
  assert.ok(compileWildcard("a*b*c").test("aXbYc"));
  assert.ok(compileWildcard("a*b*c").test("abc"));
  assert.ok(!compileWildcard("a*b*c").test("acb"));
  assert.ok(compileWildcard("ab*ba").test("aba") === false, "prefix and suffix may not overlap");
  assert.ok(compileWildcard("ab*ba").test("abba"));
  assert.ok(compileWildcard("*").test(""));
  assert.ok(compileWildcard("**?**").test("x"));
  assert.ok(!compileWildcard("?").test(""));
});
