// The request log is the observe feature's GET /_imds-lab/access-log; the IMDSv1 callers come from
// its report, which the overview carries. Without them the page falls back to the endpoints'
// counters, which count calls but cannot name processes.
import { badge, formatCount, formatTime, h } from "./dom.js";

export const ACCESS_LOG_PATH = "/_imds-lab/access-log";
const LIMIT = 200;

/** Resolves { available: true, entries } or { available: false, reason }. */
export async function fetchAccessLog() {
  let response;
  try {
    response = await fetch(`${ACCESS_LOG_PATH}?limit=${LIMIT}`, { headers: { Accept: "application/json" } });
  } catch (err) {
    return { available: false, reason: err.message };
  }
  if (!response.ok) return { available: false, reason: `${ACCESS_LOG_PATH} answered ${response.status}` };
  try {
    const body = await response.json();
    const list = Array.isArray(body) ? body : (body.entries ?? []);
    return { available: true, entries: list.map(normalise) };
  } catch (err) {
    return { available: false, reason: `${ACCESS_LOG_PATH} did not answer JSON: ${err.message}` };
  }
}

function normalise(raw) {
  const command = Array.isArray(raw.command) ? raw.command.join(" ") : (raw.command ?? null);
  return {
    time: raw.time,
    instanceId: raw.instanceId ?? "",
    version: raw.version ?? "",
    method: raw.method ?? "GET",
    path: raw.path ?? "",
    status: raw.status ?? "",
    pid: raw.pid ?? null,
    command,
    attribution: raw.attribution ?? null,
    userAgent: raw.userAgent ?? null,
    remoteAddress: raw.remoteAddress ?? null,
  };
}

/** The program's name (first word of the command line, without its directory) and its pid. */
function processLabel(pid, command, fallback) {
  if (pid === null) return h("span", { class: "muted", title: fallback.title ?? "" }, fallback.text);
  const program = (command ?? "").split(" ")[0].split("/").pop() || "process";
  return h("span", { title: command ?? "" }, h("strong", {}, program), h("span", { class: "muted" }, ` pid ${pid}`));
}

function nameOf(overview, instanceId) {
  return overview.instances.find((i) => i.instanceId === instanceId)?.name ?? instanceId;
}

export function renderAccessLog(log, overview, onlyV1) {
  if (!log.available) {
    return h(
      "div",
      { class: "notice" },
      h("p", {}, h("strong", {}, "The per-request log is not available. "), `(${log.reason}.)`),
      h("p", { class: "small muted" }, "The chart, the counts and the verdicts come from each endpoint's own counters (MetadataNoToken, MetadataNoTokenRejected), which need no log."),
    );
  }
  const entries = log.entries.filter((e) => !onlyV1 || e.version === "v1");
  if (entries.length === 0) return h("p", { class: "empty" }, onlyV1 ? "No IMDSv1 calls logged." : "No IMDS calls logged yet.");
  return h(
    "table",
    { class: "access-log" },
    h("caption", { class: "sr-only" }, "Recent IMDS requests, newest first; IMDSv1 calls are highlighted"),
    h("thead", {}, h("tr", {}, ["Time", "Instance", "Request", "Version", "Status", "Caller"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      entries.map((e) =>
        h(
          "tr",
          { class: e.version === "v1" ? "v1" : "" },
          h("td", { class: "mono small" }, formatTime(e.time)),
          h("td", { class: "small" }, nameOf(overview, e.instanceId)),
          h("td", { class: "mono small path" }, `${e.method} ${e.path}`),
          h("td", {}, e.version === "v1" ? badge("bad", "lockOpen", "v1") : badge("good", "lockClosed", "v2")),
          h("td", { class: `mono small status s${String(e.status).charAt(0)}` }, String(e.status)),
          h("td", { class: "small" }, processLabel(e.pid, e.command, { text: e.userAgent ?? e.remoteAddress ?? "unknown", title: `not attributed: ${e.attribution ?? "?"}` })),
        ),
      ),
    ),
  );
}

function callerItem(caller, instance, kind) {
  const count = kind === "answered" ? caller.v1Requests : caller.v1Rejected;
  const paths = caller.v1Paths.map((p) => `${p.path} ×${p.count}`).join(", ");
  return h(
    "li",
    { class: kind },
    h("div", { class: "stack" }, processLabel(caller.pid, caller.command, { text: caller.label, title: caller.attribution }), h("span", { class: "small muted" }, [`on ${instance.name ?? instance.instanceId}`, caller.user && `user ${caller.user}`, caller.container && `container ${caller.container}`, caller.userAgents[0]].filter(Boolean).join(" · ")), paths && h("span", { class: "mono small muted" }, paths)),
    h("span", { class: "count hot" }, `${formatCount(count)} ${kind}`),
  );
}

/** IMDSv1 callers per instance and process from the report; without it, per instance from the counters. */
export function renderV1Callers(overview) {
  if (!overview.observe.available) {
    const instances = overview.instances.filter((i) => i.calls.v1Served + i.calls.v1Rejected > 0);
    if (instances.length === 0) return h("p", { class: "empty good-text" }, "No IMDSv1 calls since the emulator started.");
    return h(
      "ul",
      { class: "callers" },
      instances.map((i) => h("li", {}, h("div", { class: "stack" }, h("span", { class: "name" }, i.name ?? i.instanceId), h("span", { class: "small muted" }, "process unknown: no caller report")), h("span", { class: "count hot" }, `${formatCount(i.calls.v1Served)} answered, ${formatCount(i.calls.v1Rejected)} refused`))),
    );
  }
  const items = overview.instances.flatMap((i) => [...i.readiness.v1Callers.map((c) => callerItem(c, i, "answered")), ...i.readiness.rejectedCallers.map((c) => callerItem(c, i, "refused"))]);
  if (items.length === 0) return h("p", { class: "empty good-text" }, "No caller used IMDSv1 since the emulator started.");
  return h("ul", { class: "callers" }, items);
}
