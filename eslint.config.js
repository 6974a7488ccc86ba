// `npm run lint`: the layering rule of docs/ARCHITECTURE.md, enforced, plus a small recommended
// set the code already passes. Style is not linted here.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";

const root = dirname(fileURLToPath(import.meta.url));

/**
 * Every folder of src/ but the store itself and the domain (kept stricter below): the application
 * layer (src/app) states its needs as ports, protocols (ec2, imds, api), features (govern, observe,
 * notices, dashboard, toolkit, ...), the CLI and any folder added later use those. Only src/main.ts,
 * the composition root, imports the store and hands its implementations of the ports to src/app.
 */
const storeFreeFolders = readdirSync(join(root, "src"), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !["store", "domain"].includes(entry.name))
  .map((entry) => `src/${entry.name}`);

const domainMessage =
  "src/domain is pure: it imports only src/domain (clock, ids and I/O are arguments). See docs/ARCHITECTURE.md.";
const storeMessage =
  "Only src/main.ts imports src/store: protocols and features use the application layer (src/app), which uses ports. See docs/ARCHITECTURE.md.";

export default defineConfig(
  { ignores: ["node_modules/", "dist/", "test-output/", "native/", "bench/results/", "src/dashboard/web/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.ts", "**/*.mjs", "**/*.js"],
    languageOptions: { globals: { ...nodeGlobals() } },
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [importX.createNodeResolver({ extensions: [".ts", ".js", ".mjs", ".json"] })],
    },
    rules: {
      // Kept off: each would ask for a sweep over code that is deliberate today. `any` appears
      // about 27 times (action registry, test doubles poking at invalid input); control characters
      // in regular expressions are the point of the XML-character filter and the fuzz test.
      "@typescript-eslint/no-explicit-any": "off",
      "no-control-regex": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "import-x/no-restricted-paths": [
        "error",
        {
          basePath: root,
          zones: [
            { target: "src/domain/**/!(*.test).ts", from: "src", except: ["./domain"], message: domainMessage },
            // A domain test may wire a real adapter (the HMAC of src/platform) into a port.
            { target: "src/domain/**/*.test.ts", from: "src", except: ["./domain", "./platform"], message: domainMessage },
            // Tests are composition roots of what they test, so they may build a store.
            { target: storeFreeFolders.map((folder) => `${folder}/**/!(*.test).ts`), from: "src/store", message: storeMessage },
          ],
        },
      ],
    },
  },
  {
    // Node builtins and packages do not resolve to a path under src/, so the domain's rule on them
    // is by name: only relative imports (which the zone above keeps inside src/domain).
    files: ["src/domain/**/*.ts"],
    ignores: ["src/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "^[^.]", message: domainMessage }] }],
      // The same rule for what reaches I/O, the clock or randomness without an import.
      "no-restricted-syntax": [
        "error",
        { selector: "ImportExpression", message: domainMessage },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: `${domainMessage} The clock is an argument.` },
      ],
      "no-restricted-properties": [
        "error",
        { object: "Date", property: "now", message: `${domainMessage} The clock is an argument.` },
        { object: "Math", property: "random", message: `${domainMessage} Randomness is an argument.` },
      ],
      "no-restricted-globals": [
        "error",
        ...["process", "fetch", "setTimeout", "setInterval", "setImmediate", "performance", "crypto", "console"].map((name) => ({ name, message: domainMessage })),
      ],
    },
  },
  {
    // Tests beside domain code may use the test runner, property testing and the test oracle.
    files: ["src/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(?!node:test$|node:assert(/strict)?$|fast-check$|@cloud-copilot/iam-simulate$)[^.]", message: domainMessage }] },
      ],
    },
  },
);

/** The globals of Node 20 that the code uses; the browser code under src/dashboard/web is not linted. */
function nodeGlobals() {
  const names = [
    "process", "console", "Buffer", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "AbortController",
    "AbortSignal", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate",
    "queueMicrotask", "structuredClone", "fetch", "Response", "Request", "Headers", "performance", "crypto",
    "globalThis", "Event", "EventTarget", "FormData", "Blob",
  ];
  return Object.fromEntries(names.map((name) => [name, "readonly"]));
}
