// Regions with their account defaults, launch templates and AMIs, each with what a launch gets.
import { badge, FIELD_LABELS, h, levelChip } from "./dom.js";

function noPreference() {
  return h("span", { class: "muted" }, "no preference");
}

function defaultValue(value) {
  return value === undefined ? noPreference() : h("span", { class: "mono" }, String(value));
}

export function renderRegions(overview, actions) {
  const item = (label, value) => h("div", { class: "kv" }, h("dt", {}, label), h("dd", {}, value));
  return h(
    "ul",
    { class: "regions" },
    overview.regions.map((r) => {
      const d = r.defaults;
      const policy = d.managedBy === "declarative-policy";
      return h(
        "li",
        { class: "region", "data-region": r.region, "data-account": r.accountId },
        h(
          "div",
          { class: "region-head" },
          h("div", { class: "stack" }, h("span", { class: "name mono" }, r.region), h("span", { class: "small muted" }, `account ${r.accountId}`)),
          policy && badge("warn", "info", "declarative policy", { title: d.managedExceptionMessage ?? "" }),
          // The page calls as the serve account; another account's defaults need that account's keys.
          r.accountId === overview.defaultScope.accountId
            ? h("button", { type: "button", class: "btn", "data-key": `defaults:${r.region}`, "aria-label": `Edit account defaults of ${r.region}`, onclick: () => actions.editDefaults(r) }, "Edit")
            : h("span", { class: "small muted" }, "other account"),
        ),
        h(
          "dl",
          { class: "defaults" },
          item("HttpTokens", d.httpTokens === "required" ? badge("good", "lockClosed", "required") : d.httpTokens === "optional" ? badge("bad", "lockOpen", "optional") : noPreference()),
          item("IMDSv2 enforced", d.httpTokensEnforced === "enabled" ? badge("good", "check", "enforced") : defaultValue(d.httpTokensEnforced)),
          item("Hop limit", defaultValue(d.httpPutResponseHopLimit)),
          item("Endpoint", defaultValue(d.httpEndpoint)),
          item("Tags in metadata", defaultValue(d.instanceMetadataTags)),
          item("Instances", h("span", { class: r.allowingV1 > 0 ? "bad-text" : "good-text" }, `${r.allowingV1} of ${r.instances} allow IMDSv1`)),
        ),
      );
    }),
  );
}

/** What a launch would get: each option with its level, or the error RunInstances would answer. */
function previewCell(preview) {
  if (preview.refused) return h("div", { class: "refused" }, badge("bad", "ban", preview.refused.code), h("p", { class: "small" }, preview.refused.message));
  return h(
    "ul",
    { class: "preview" },
    preview.options.map((o) => h("li", {}, h("span", { class: "field" }, FIELD_LABELS[o.field]), h("span", { class: `mono value ${o.field === "httpTokens" ? o.value : ""}` }, String(o.value)), levelChip(o.level, o.detail))),
  );
}

function setFields(options) {
  const entries = Object.entries(options);
  if (entries.length === 0) return h("span", { class: "muted" }, "sets no metadata options");
  return h("ul", { class: "plain" }, entries.map(([field, value]) => h("li", {}, `${FIELD_LABELS[field]} `, h("span", { class: "mono" }, String(value)))));
}

export function renderTemplates(overview) {
  if (overview.launchTemplates.length === 0) return h("p", { class: "empty" }, "No launch templates. Create one with CreateLaunchTemplate.");
  return h(
    "table",
    { class: "templates" },
    h("thead", {}, h("tr", {}, ["Template", "Default version sets", "A launch from it gets"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      overview.launchTemplates.map((t) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, h("div", { class: "stack" }, h("span", { class: "name" }, t.templateName), h("span", { class: "mono small" }, t.templateId), h("span", { class: "small muted" }, `${t.region} · version ${t.defaultVersion} of ${t.latestVersion}`), t.imageId && h("span", { class: "mono small muted" }, t.imageId))),
          h("td", {}, setFields(t.metadataOptions)),
          h("td", {}, previewCell(t.preview)),
        ),
      ),
    ),
  );
}

export function renderImages(overview) {
  return h(
    "table",
    { class: "images" },
    h("thead", {}, h("tr", {}, ["AMI", "ImdsSupport", "A launch from it gets"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      {},
      overview.images.map((image) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, h("div", { class: "stack" }, h("span", { class: "name wrap" }, image.name), h("span", { class: "mono small" }, image.imageId), h("span", { class: "small muted" }, `${image.isPublic ? "public" : "private"} · owner ${image.ownerId}`))),
          h("td", {}, image.imdsSupport === "v2.0" ? badge("good", "lockClosed", "v2.0") : h("span", { class: "muted" }, "not set")),
          h("td", {}, h("p", { class: "small muted" }, `in ${image.previewScope.region}`), previewCell(image.preview)),
        ),
      ),
    ),
  );
}
