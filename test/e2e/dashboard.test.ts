import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { findChromium, launchChromium, type LaunchedChromium } from "../support/chromium.ts";
import { buildScenario, imdsUrlOf, startLegacyAgent, startV2Traffic, tokenlessStatus, withToken, type ScenarioInstances } from "../support/dashboard-scenario.ts";
import { startEmulatorProcess, type EmulatorProcess } from "../support/emulator-process.ts";

const CHROMIUM = findChromium();
const SKIP = CHROMIUM === null ? "chromium is not installed: apt-get install -y chromium fonts-liberation (.ci/run installs it)" : false;
// Screenshots land in test-output/; UPDATE_SCREENSHOTS=1 also refreshes the ones in docs/images.
const SHOT_DIRS = ["test-output/screenshots", ...(process.env.UPDATE_SCREENSHOTS === "1" ? ["docs/images"] : [])];
const LAPTOP = { width: 1440, height: 900 };
const WIDE = { width: 1920, height: 1080 };

async function screenshot(page: Page, name: string, options: { fullPage?: boolean; selector?: string } = {}): Promise<void> {
  for (const dir of SHOT_DIRS) {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, name);
    if (options.selector !== undefined) await page.locator(options.selector).screenshot({ path });
    else await page.screenshot({ path, fullPage: options.fullPage ?? false });
  }
}

const row = (id: string) => `tr[data-instance-id="${id}"]`;

// Each test names the reason it was skipped, so the closing count shows them as skipped.
describe("dashboard in a real browser", () => {
  let emulator: EmulatorProcess;
  let chromium: LaunchedChromium;
  let page: Page;
  let ids: ScenarioInstances;
  let webImds: string;
  let agent: ChildProcess;
  let stopV2Traffic: () => void;
  let dir: string;
  const pageErrors: string[] = [];

  before(async () => {
    if (SKIP) return;
    dir = mkdtempSync(join(tmpdir(), "imds-lab-dashboard-"));
    emulator = await startEmulatorProcess(["--options-apply-delay-ms", "0"]);
    ids = await buildScenario(emulator.ready.api);
    webImds = await imdsUrlOf(emulator.ready.api, ids.web);
    agent = startLegacyAgent(dir, webImds, 180);
    stopV2Traffic = startV2Traffic(await Promise.all([ids.api, ids.worker, ids.batch].map((id) => imdsUrlOf(emulator.ready.api, id))));
    chromium = await launchChromium(CHROMIUM!, LAPTOP);
    page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
    page.on("pageerror", (err) => pageErrors.push(err.message));
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    stopV2Traffic?.();
    agent?.kill();
    await chromium?.close();
    await emulator?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("dashboard: shows at a glance which instances allow IMDSv1, where each option came from, and who calls with v1", { skip: SKIP }, async () => {
    assert.equal(typeof emulator.ready.dashboard, "string", "the ready line names the dashboard");
    assert.match(emulator.stderr(), /dashboard: +http:\/\/127\.0\.0\.1:\d+\/_imds-lab\/dashboard\//, "the banner links it");
    await page.goto(String(emulator.ready.dashboard));
    await page.locator(`${row(ids.web)} [data-verdict="breaks"]`).waitFor();
    assert.match(await page.locator(row(ids.web)).innerText(), /v1 allowed/);
    assert.match(await page.locator(row(ids.api)).innerText(), /v2 only[\s\S]*AMI/);
    assert.match(await page.locator(row(ids.worker)).innerText(), /v2 only[\s\S]*Launch template/);
    await page.locator(`${row(ids.batch)} [data-verdict="ready"]`).waitFor();
    // The legacy agent is attributed to its process by the observe feature's caller report.
    await page.locator("#callers", { hasText: "python3" }).waitFor();
    await page.locator("#log tr.v1").first().waitFor();
    await page.getByRole("button", { name: "Where the options of web-1 come from" }).click();
    const sources = await page.locator(`#explain-${ids.web}`).innerText();
    assert.match(sources, /Hop limit\s+2\s+Account default/);
    assert.match(sources, /HttpTokens\s+optional\s+EC2 default/);
    await page.waitForTimeout(6_000); // let the chart collect a few buckets of traffic
    await page.locator("#chart svg").waitFor();
    await screenshot(page, "dashboard-laptop.png", { fullPage: true });
    await screenshot(page, "dashboard-instances.png", { selector: "section[aria-labelledby=instances-title]" });
  });

  it("dashboard: requiring IMDSv2 in the page goes through the API, and the IMDS then refuses token-less calls", { skip: SKIP }, async () => {
    assert.equal(await tokenlessStatus(webImds), 200);
    await page.getByRole("button", { name: "Edit metadata options of web-1" }).click();
    const dialog = page.getByRole("dialog", { name: "Metadata options of web-1" });
    await dialog.getByLabel("required: IMDSv2 only, token-less calls get 401").check();
    await screenshot(page, "dashboard-edit-options.png");
    await dialog.getByRole("button", { name: "Apply changes" }).click();
    await dialog.waitFor({ state: "hidden" });
    await page.locator(`${row(ids.web)} .badge`, { hasText: "v2 only" }).waitFor();
    assert.match(await page.locator(`#explain-${ids.web}`).innerText(), /HttpTokens\s+required\s+Modified/);
    assert.equal(await tokenlessStatus(webImds), 401);
    assert.equal((await withToken(webImds, "/latest/meta-data/instance-id")).text, ids.web);
    // The agent keeps calling without a token: now refused, and the verdict says so.
    await page.locator(`${row(ids.web)} [data-verdict="rejecting"]`).waitFor();
  });

  it("dashboard: the tags-in-metadata switch changes what the IMDS serves", { skip: SKIP }, async () => {
    const toggle = page.getByRole("switch", { name: "Tags in metadata for web-1" });
    assert.equal(await toggle.getAttribute("aria-checked"), "false");
    assert.equal((await withToken(webImds, "/latest/meta-data/tags/instance/Name")).status, 404);
    await toggle.click();
    await page.locator(`${row(ids.web)} [role=switch][aria-checked=true]`).waitFor();
    assert.deepEqual(await withToken(webImds, "/latest/meta-data/tags/instance/Name"), { status: 200, text: "web-1" });
  });

  it("dashboard: account defaults set in the page apply the API's rules, so enforcement refuses IMDSv1 there too", { skip: SKIP }, async () => {
    await page.getByRole("button", { name: "Edit account defaults of us-east-1" }).click();
    const defaults = page.getByRole("dialog", { name: "Account defaults of us-east-1" });
    await defaults.getByLabel(/^HttpTokensEnforced/).selectOption("enabled");
    await defaults.getByRole("button", { name: "Save defaults" }).click();
    await defaults.waitFor({ state: "hidden" });
    await page.locator('[data-region="us-east-1"] .badge', { hasText: "enforced" }).waitFor();

    await page.getByRole("button", { name: "Edit metadata options of web-1" }).click();
    const dialog = page.getByRole("dialog", { name: "Metadata options of web-1" });
    await dialog.getByLabel("optional: IMDSv1 and IMDSv2 are answered").check();
    await dialog.getByRole("button", { name: "Apply changes" }).click();
    const error = dialog.getByRole("alert");
    await error.waitFor();
    assert.match(await error.innerText(), /^UnsupportedOperation: You can't launch instances with IMDSv1 because httpTokensEnforced is enabled/);
    await screenshot(page, "dashboard-enforced-refusal.png");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await tokenlessStatus(webImds), 401, "the refused change changed nothing");
  });

  it("dashboard: lays out for a wide screen and raised no script errors", { skip: SKIP }, async () => {
    await page.setViewportSize(WIDE);
    await page.waitForTimeout(2_500);
    const regionsBox = await page.locator("section[aria-labelledby=regions-title]").boundingBox();
    const chartBox = await page.locator("section[aria-labelledby=chart-title]").boundingBox();
    assert.ok(regionsBox && chartBox && regionsBox.x > chartBox.x + chartBox.width - 1, "chart and regions side by side at 1920px");
    await screenshot(page, "dashboard-wide.png", { fullPage: true });
    assert.deepEqual(pageErrors, []);
  });

  it("dashboard: the one-click Require IMDSv2 on a ready instance takes effect on its IMDS", { skip: SKIP }, async () => {
    const batchImds = await imdsUrlOf(emulator.ready.api, ids.batch);
    assert.equal(await tokenlessStatus(batchImds), 200);
    await page.getByRole("button", { name: "Require IMDSv2 on batch-1" }).click();
    await page.locator(`${row(ids.batch)} [data-verdict="already-required"]`).waitFor();
    assert.equal(await tokenlessStatus(batchImds), 401);
    assert.deepEqual(pageErrors, []);
  });
});
