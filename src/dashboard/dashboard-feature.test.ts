import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadSettings } from "../config/settings.ts";
import { startEmulator, type RunningEmulator } from "../main.ts";
import { PATH_DASHBOARD as DASHBOARD_PATH, PATH_DASHBOARD_OVERVIEW as OVERVIEW_PATH } from "../api/control-paths.ts";
import type { DashboardOverview } from "./overview-types.ts";
import { DASHBOARD_FILES } from "./static-assets.ts";

describe("dashboard feature", () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator(loadSettings({ ephemeral: true, imdsPort: 0, apiPort: 0 }, {}));
  });
  after(async () => {
    await emulator.close();
  });

  it("dashboard feature: the ready line names the page, and /_imds-lab/dashboard redirects to it", async () => {
    assert.equal(emulator.readyEntries.dashboard, `${emulator.apiUrl}${DASHBOARD_PATH}`);
    const response = await fetch(`${emulator.apiUrl}/_imds-lab/dashboard`, { redirect: "manual" });
    assert.equal(response.status, 308);
    assert.equal(response.headers.get("location"), DASHBOARD_PATH);
  });

  it("dashboard feature: the page and every module are served with their type and a script policy of self only", async () => {
    const page = await fetch(emulator.readyEntries.dashboard!);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const html = await page.text();
    for (const name of DASHBOARD_FILES.filter((f) => f !== "index.html")) {
      const asset = await fetch(`${emulator.readyEntries.dashboard}${name}`);
      assert.equal(asset.status, 200, name);
      assert.equal(asset.headers.get("x-content-type-options"), "nosniff");
      const body = await asset.text();
      if (name.endsWith(".js")) {
        assert.match(asset.headers.get("content-type") ?? "", /^text\/javascript/);
        // Every module the page imports is served.
        for (const [, imported] of body.matchAll(/from "\.\/([\w-]+\.js)"/g)) assert.ok(DASHBOARD_FILES.includes(imported!), `${name} imports ${imported}`);
      }
    }
    for (const [, referenced] of html.matchAll(/(?:src|href)="([\w-]+\.\w+)"/g)) assert.ok(DASHBOARD_FILES.includes(referenced!), `index.html references ${referenced}`);
  });

  it("dashboard feature: the overview names the serve instance and reads the observe report when this build has one", async () => {
    const response = await fetch(`${emulator.apiUrl}${OVERVIEW_PATH}`);
    assert.equal(response.status, 200);
    const overview = (await response.json()) as DashboardOverview;
    const serveDefault = overview.instances.find((i) => i.isDefault);
    assert.equal(serveDefault?.instanceId, emulator.defaultInstanceId);
    assert.equal(overview.regions[0]?.region, "us-east-1");
    assert.equal(overview.calls.points.length, 72);
    const observed = await fetch(`${emulator.apiUrl}/_imds-lab/report`);
    assert.equal(overview.observe.available, observed.ok, JSON.stringify(overview.observe));
  });
});
