// The dashboard page: polls one overview (and the access log when the build has one), draws it,
// and sends changes through the EC2 Query API of this same origin.
import { fetchAccessLog, renderAccessLog, renderV1Callers } from "./access-log.js";
import { renderChart, renderLegend } from "./chart.js";
import { h, replaceContent } from "./dom.js";
import { modifyInstanceMetadataOptions } from "./ec2-client.js";
import { openDefaultsEditor, openInstanceEditor } from "./editors.js";
import { renderImages, renderRegions, renderTemplates } from "./inventory.js";
import { renderInstances, renderSummary } from "./views.js";

const OVERVIEW_PATH = "api/overview";
const REFRESH_MS = 2000;

const ui = { onlyV1: false, onlyV1Log: false, expanded: new Set() };
let overview = null;
let log = { available: false, reason: "not loaded yet" };
let timer = null;

const $ = (id) => document.getElementById(id);

function toast(text, tone = "good") {
  const item = h("div", { class: `toast ${tone}` }, text);
  $("toasts").append(item);
  setTimeout(() => item.remove(), 6000);
}

async function report(result, success) {
  if (result.ok) toast(success);
  else toast(`${result.code}: ${result.message}`, "bad");
  await refresh();
}

const actions = {
  requireV2: async (instance) => report(await modifyInstanceMetadataOptions(instance, { HttpTokens: "required" }), `${instance.name ?? instance.instanceId} now requires IMDSv2`),
  toggleTags: async (instance, enable) =>
    report(await modifyInstanceMetadataOptions(instance, { InstanceMetadataTags: enable ? "enabled" : "disabled" }), `Tags in metadata ${enable ? "enabled" : "disabled"} on ${instance.name ?? instance.instanceId}`),
  edit: (instance) => openInstanceEditor(instance, async (message) => report({ ok: true }, message)),
  editDefaults: (region) => openDefaultsEditor(region, overview.defaultScope, async (message) => report({ ok: true }, message)),
  toggleExplain: (instanceId) => {
    if (ui.expanded.has(instanceId)) ui.expanded.delete(instanceId);
    else ui.expanded.add(instanceId);
    draw();
  },
};

function draw() {
  if (overview === null) return;
  replaceContent($("summary"), renderSummary(overview));
  replaceContent($("chart-legend"), renderLegend(overview.calls));
  replaceContent($("chart"), renderChart(overview.calls));
  replaceContent($("regions"), renderRegions(overview, actions));
  replaceContent($("instances"), renderInstances(overview, ui, actions));
  replaceContent($("log"), renderAccessLog(log, overview, ui.onlyV1Log));
  replaceContent($("callers"), renderV1Callers(overview));
  replaceContent($("templates"), renderTemplates(overview));
  replaceContent($("images"), renderImages(overview));
  document.body.dataset.generatedAt = overview.generatedAt;
}

function setLive(ok, text) {
  $("live").classList.toggle("offline", !ok);
  $("live-text").textContent = text;
}

async function refresh() {
  clearTimeout(timer);
  try {
    const [response, nextLog] = await Promise.all([fetch(OVERVIEW_PATH, { headers: { Accept: "application/json" } }), fetchAccessLog()]);
    if (!response.ok) throw new Error(`overview answered ${response.status}`);
    overview = await response.json();
    log = nextLog;
    draw();
    setLive(true, `Live · updated ${new Date().toLocaleTimeString("en-GB", { hour12: false })}`);
  } catch (err) {
    setLive(false, `Not connected: ${err.message}`);
  }
  if (!document.hidden) timer = setTimeout(refresh, REFRESH_MS);
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden) void refresh();
});
$("only-v1").addEventListener("change", (event) => {
  ui.onlyV1 = event.target.checked;
  draw();
});
$("only-v1-log").addEventListener("change", (event) => {
  ui.onlyV1Log = event.target.checked;
  draw();
});
$("add-region").addEventListener("click", () => {
  if (overview !== null) actions.editDefaults(null);
});
void refresh();
