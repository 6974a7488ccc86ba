import { readFileSync } from "node:fs";

export interface StaticAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

/** The page and its plain ES modules: no build step, read once when the emulator starts. */
export const DASHBOARD_FILES: readonly string[] = Object.freeze([
  "index.html",
  "dashboard.css",
  "dashboard.js",
  "access-log.js",
  "chart.js",
  "dom.js",
  "ec2-client.js",
  "editors.js",
  "inventory.js",
  "views.js",
  "favicon.svg",
]);

export function loadDashboardAssets(dir: URL = new URL("./web/", import.meta.url)): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const name of DASHBOARD_FILES) {
    const extension = name.slice(name.lastIndexOf(".") + 1);
    const contentType = CONTENT_TYPES[extension];
    if (contentType === undefined) throw new Error(`dashboard: no content type for ${name}`);
    assets.set(name, { contentType, body: readFileSync(new URL(name, dir)) });
  }
  return assets;
}
