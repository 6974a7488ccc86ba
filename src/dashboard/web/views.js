// The summary tiles and the instances table, drawn from the overview JSON.
import { badge, FIELD_LABELS, formatCount, h, icon, levelChip, TERMINATED, VERDICTS } from "./dom.js";

export function renderSummary(overview) {
  const { summary } = overview;
  const tile = (tone, iconName, value, label, detail) =>
    h("div", { class: `tile ${tone}` }, h("div", { class: "tile-icon" }, icon(iconName)), h("div", {}, h("p", { class: "tile-value" }, value), h("p", { class: "tile-label" }, label), detail && h("p", { class: "tile-detail" }, detail)));
  const v = summary.verdicts;
  return [
    tile(summary.allowingV1 > 0 ? "bad" : "good", summary.allowingV1 > 0 ? "lockOpen" : "lockClosed", `${summary.allowingV1} of ${summary.instances}`, "instances still allow IMDSv1", summary.allowingV1 > 0 ? "Token-less calls are answered" : "Every instance requires tokens"),
    tile(v.breaks + v.rejecting > 0 ? "bad" : "good", "ban", formatCount(v.breaks), "blocked by IMDSv1 callers", v.rejecting > 0 ? `${v.rejecting} required with IMDSv1 calls refused` : "requiring IMDSv2 there breaks a caller"),
    tile("info", "arrowUp", formatCount(v.ready), "ready to require IMDSv2", `${v["already-required"]} enforced, ${v["hop-limit"]} need a hop limit, ${v["no-traffic"]} without calls`),
    tile(summary.v1Served + summary.v1Rejected > 0 ? "warn" : "good", "alert", formatCount(summary.v1Served), "IMDSv1 calls answered", `${formatCount(summary.v1Rejected)} refused, ${formatCount(summary.v2Served)} IMDSv2 calls`),
  ];
}

function tokensBadge(instance) {
  const tokens = instance.options.find((o) => o.field === "httpTokens");
  const endpoint = instance.options.find((o) => o.field === "httpEndpoint");
  const main =
    instance.state === "terminated"
      ? badge("muted", "power", "terminated")
      : endpoint.value === "disabled"
        ? badge("muted", "power", "IMDS off")
        : tokens.value === "required"
          ? badge("good", "lockClosed", "v2 only")
          : badge("bad", "lockOpen", "v1 allowed");
  return h("div", { class: "stack" }, main, h("span", { class: "small muted" }, "from ", levelChip(tokens.level, tokens.detail)));
}

function readinessReason(instance) {
  const { verdict, v1Callers, rejectedCallers, requiredHopLimit } = instance.readiness;
  const { v1Served, v1Rejected, v2Served } = instance.calls;
  const short = (c) => (c.pid === null ? c.label : `${(c.command ?? "").split(" ")[0].split("/").pop() || "process"} (pid ${c.pid})`);
  const who = (callers) => (callers.length === 1 ? short(callers[0]) : `${short(callers[0])} and ${callers.length - 1} more`);
  switch (verdict) {
    case "breaks":
      return v1Callers.length > 0 ? `IMDSv1: ${who(v1Callers)}` : `${formatCount(v1Served)} IMDSv1 calls answered`;
    case "rejecting":
      return rejectedCallers.length > 0 ? `refused: ${who(rejectedCallers)}` : `${formatCount(v1Rejected)} token-less calls refused`;
    case "hop-limit":
      return `callers need hop limit ${requiredHopLimit}`;
    case "ready":
      return `only IMDSv2 calls (${formatCount(v2Served)})`;
    case "already-required":
      return "token-less calls are refused";
    case "no-traffic":
      return "no calls since the emulator started";
    default:
      return null;
  }
}

function readinessCell(instance) {
  const verdict = instance.state === "terminated" ? TERMINATED : (VERDICTS[instance.readiness.verdict] ?? { label: instance.readiness.verdict, tone: "muted", icon: "info" });
  const reason = instance.state === "terminated" ? null : readinessReason(instance);
  return h("div", { class: "stack" }, badge(verdict.tone, verdict.icon, verdict.label, { "data-verdict": instance.readiness.verdict }), reason && h("span", { class: "small muted reason" }, reason));
}

function callsCell(instance) {
  const { v1Served, v1Rejected, v2Served } = instance.calls;
  return h(
    "div",
    { class: "calls", "aria-label": `${v1Served} IMDSv1 answered, ${v1Rejected} refused, ${v2Served} IMDSv2` },
    h("span", { class: `count v1 ${v1Served > 0 ? "hot" : ""}`, title: "IMDSv1 calls answered" }, "v1 ", h("strong", {}, formatCount(v1Served))),
    h("span", { class: `count v1-rejected ${v1Rejected > 0 ? "hot" : ""}`, title: "IMDSv1 calls refused" }, "refused ", h("strong", {}, formatCount(v1Rejected))),
    h("span", { class: "count v2", title: "IMDSv2 calls" }, "v2 ", h("strong", {}, formatCount(v2Served))),
  );
}

function label(instance) {
  return instance.name ?? instance.instanceId;
}

function actionsCell(instance, expanded, actions) {
  const live = instance.state !== "terminated";
  const tags = instance.options.find((o) => o.field === "instanceMetadataTags");
  const tagsOn = tags.value === "enabled";
  return h(
    "div",
    { class: "actions" },
    instance.allowsV1 &&
      h("button", { type: "button", class: "btn primary", "data-key": `require:${instance.instanceId}`, "aria-label": `Require IMDSv2 on ${label(instance)}`, onclick: () => actions.requireV2(instance) }, icon("lockClosed"), "Require IMDSv2"),
    live &&
      h(
        "button",
        { type: "button", class: `switch ${tagsOn ? "on" : ""}`, role: "switch", "aria-checked": String(tagsOn), "data-key": `tags:${instance.instanceId}`, "aria-label": `Tags in metadata for ${label(instance)}`, onclick: () => actions.toggleTags(instance, !tagsOn) },
        h("span", { class: "track", "aria-hidden": "true" }, h("span", { class: "thumb" })),
        h("span", { class: "switch-text" }, "Tags in metadata"),
      ),
    live && h("button", { type: "button", class: "btn", "data-key": `edit:${instance.instanceId}`, "aria-label": `Edit metadata options of ${label(instance)}`, onclick: () => actions.edit(instance) }, "Edit options"),
    h("button", { type: "button", class: "btn ghost", "data-key": `explain:${instance.instanceId}`, "aria-expanded": String(expanded), "aria-controls": `explain-${instance.instanceId}`, "aria-label": `Where the options of ${label(instance)} come from`, onclick: () => actions.toggleExplain(instance.instanceId) }, expanded ? "Hide sources" : "Sources"),
  );
}

/** Each option, its value, and the level that decided it (the explain data). */
export function renderSources(options) {
  return h(
    "table",
    { class: "sources" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Option"), h("th", { scope: "col" }, "Value"), h("th", { scope: "col" }, "Came from"), h("th", { scope: "col" }, "Detail"))),
    h("tbody", {}, options.map((o) => h("tr", {}, h("th", { scope: "row" }, FIELD_LABELS[o.field]), h("td", { class: "mono" }, String(o.value)), h("td", {}, levelChip(o.level, o.detail)), h("td", { class: "small muted" }, o.detail)))),
  );
}

export function renderInstances(overview, ui, actions) {
  const instances = overview.instances.filter((i) => !ui.onlyV1 || i.allowsV1);
  if (instances.length === 0) return h("p", { class: "empty" }, ui.onlyV1 ? "No instance allows IMDSv1." : "No instances yet. Launch one with RunInstances.");
  const rows = instances.flatMap((instance) => {
    const expanded = ui.expanded.has(instance.instanceId);
    const row = h(
      "tr",
      { class: instance.allowsV1 ? "allows-v1" : "", "data-instance-id": instance.instanceId },
      h(
        "th",
        { scope: "row" },
        h("div", { class: "stack" }, h("span", { class: "name" }, instance.name ?? "(no Name tag)", instance.isDefault && h("span", { class: "pill" }, "default")), h("span", { class: "mono small" }, instance.instanceId), h("span", { class: "small muted" }, `${instance.region} · ${instance.accountId}`)),
      ),
      h("td", {}, h("div", { class: "stack" }, h("span", { class: `state ${instance.state}` }, instance.state), instance.optionsState === "pending" && h("span", { class: "small muted" }, "options pending"))),
      h("td", {}, tokensBadge(instance)),
      h("td", {}, readinessCell(instance)),
      h("td", {}, callsCell(instance)),
      h("td", {}, actionsCell(instance, expanded, actions)),
    );
    if (!expanded) return [row];
    return [row, h("tr", { class: "explain-row", id: `explain-${instance.instanceId}` }, h("td", { colspan: 6 }, renderSources(instance.options)))];
  });
  return h(
    "table",
    { class: "instances" },
    h("caption", { class: "sr-only" }, "Instances with their IMDSv1 state, readiness and calls"),
    h("thead", {}, h("tr", {}, ["Instance", "State", "IMDSv1", "Readiness", "Calls since start", "Actions"].map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows),
  );
}
