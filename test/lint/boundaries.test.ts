// The layering rule of docs/ARCHITECTURE.md as `npm run lint` enforces it: each case lints a small
// source text as if it were a file at that path, with the repository's own eslint.config.js.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const root = fileURLToPath(new URL("../../", import.meta.url));
const eslint = new ESLint({ cwd: root });

/** A real module of the store, so the import resolves as it would in the code. */
const storeModule = readdirSync(`${root}src/store`).find((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, "one result per text");
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test("lint boundaries: a domain file importing node:fs fails", async () => {
  const found = await problems("src/domain/options/uses-fs.ts", 'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n');
  assert.equal(found.length, 1, found.join("\n"));
  assert.match(found[0]!, /^no-restricted-imports: .*src\/domain is pure/);
});

test("lint boundaries: a domain file importing a package or a module outside src/domain fails", async () => {
  for (const [specifier, rule] of [
    ["better-sqlite3", "no-restricted-imports"],
    ["http", "no-restricted-imports"],
    ["../../platform/clock.ts", "import-x/no-restricted-paths"],
    ["../../imds/constants.ts", "import-x/no-restricted-paths"],
  ]) {
    const found = await problems("src/domain/options/impure.ts", `import * as m from "${specifier}";\nexport const x = m;\n`);
    assert.equal(found.length, 1, `${specifier}: ${found.join("\n")}`);
    assert.ok(found[0]!.startsWith(`${rule}: `), `${specifier}: ${found[0]}`);
  }
});

test("lint boundaries: a domain file reading the clock, randomness or the process without an import fails", async () => {
  for (const code of [
    'export const load = () => import("node:fs");\n',
    "export const now = (): number => Date.now();\n",
    "export const today = (): Date => new Date();\n",
    "export const roll = (): number => Math.random();\n",
    "export const home = (): string | undefined => process.env.HOME;\n",
    'export const get = () => fetch("http://127.0.0.1/");\n',
  ]) {
    const found = await problems("src/domain/options/impure.ts", code);
    assert.equal(found.length, 1, `${code}${found.join("\n")}`);
    assert.match(found[0]!, /src\/domain is pure/);
  }
  assert.deepEqual(await problems("src/domain/options/pure.ts", "export const at = (ms: number): Date => new Date(ms);\n"), []);
});

test("lint boundaries: an EC2 action importing the store fails, a type-only import too", async () => {
  assert.ok(storeModule, "src/store has a module");
  for (const code of [
    `import * as store from "../../store/${storeModule}";\nexport const s = store;\n`,
    `import type * as store from "../../store/${storeModule}";\nexport type S = typeof store;\n`,
  ]) {
    const found = await problems("src/ec2/actions/x.ts", code);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /^import-x\/no-restricted-paths: .*imports src\/store/);
  }
});

test("lint boundaries: the application layer, every protocol and every feature are kept from the store", async () => {
  for (const folder of ["app", "ec2", "imds", "api", "govern", "observe", "notices", "dashboard", "toolkit", "cli"]) {
    const found = await problems(`src/${folder}/x.ts`, `import * as store from "../store/${storeModule}";\nexport const s = store;\n`);
    assert.equal(found.length, 1, `${folder}: ${found.join("\n")}`);
  }
});

test("lint boundaries: a clean domain file, and the composition root using the store, pass", async () => {
  assert.deepEqual(
    await problems("src/domain/options/clean.ts", 'import { DomainError } from "../errors.ts";\nexport const fail = (): never => { throw new DomainError("InvalidParameterValue", "x"); };\n'),
    [],
  );
  assert.deepEqual(await problems("src/main.ts", `import * as store from "./store/${storeModule}";\nexport const s = store;\n`), []);
  assert.deepEqual(await problems("src/ec2/actions/y.ts", 'import { DomainError } from "../../domain/errors.ts";\nexport const e = DomainError;\n'), []);
});

test("lint boundaries: a domain test may use the test runner but not I/O", async () => {
  assert.deepEqual(await problems("src/domain/options/z.test.ts", 'import { test } from "node:test";\nimport fc from "fast-check";\nexport const t = [test, fc];\n'), []);
  const found = await problems("src/domain/options/z.test.ts", 'import { readFileSync } from "node:fs";\nexport const r = readFileSync;\n');
  assert.equal(found.length, 1, found.join("\n"));
});
