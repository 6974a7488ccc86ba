// The two editors, in one modal <dialog> outside the refreshed tables, so a refresh never takes
// away what the user is typing. Each sends only the fields that changed: a field not sent keeps
// its value, exactly as the API defines it; every check is the API's.
import { h } from "./dom.js";
import { createTag, deleteTag, modifyInstanceMetadataDefaults, modifyInstanceMetadataOptions } from "./ec2-client.js";

const dialog = () => document.getElementById("editor");

function select(id, labelText, value, choices) {
  return h("div", { class: "field" }, h("label", { for: id }, labelText), h("select", { id, name: id }, choices.map(([v, text]) => h("option", { value: v, selected: v === value }, text))));
}

function errorBox() {
  return h("p", { class: "form-error", role: "alert", hidden: true });
}

function showError(box, result) {
  box.hidden = false;
  box.textContent = `${result.code}: ${result.message}`;
}

function open(title, ...content) {
  const d = dialog();
  d.replaceChildren(h("h2", { id: "editor-title" }, title), ...content);
  d.showModal();
  d.querySelector("input, select")?.focus();
}

function buttons(submitText) {
  return h("div", { class: "form-buttons" }, h("button", { type: "button", class: "btn", onclick: () => dialog().close() }, "Cancel"), h("button", { type: "submit", class: "btn primary" }, submitText));
}

async function submitWith(form, box, send, onDone) {
  const submit = form.querySelector("[type=submit]");
  submit.disabled = true;
  box.hidden = true;
  const result = await send();
  submit.disabled = false;
  if (result.ok) {
    dialog().close();
    onDone(result.message);
  } else showError(box, result);
}

export function openInstanceEditor(instance, onDone) {
  const current = Object.fromEntries(instance.options.map((o) => [o.field, o.value]));
  const box = errorBox();
  const radio = (value, text) => h("label", { class: "radio" }, h("input", { type: "radio", name: "httpTokens", value, checked: current.httpTokens === value }), text);
  const form = h(
    "form",
    { novalidate: true, "aria-describedby": "editor-note" },
    h("fieldset", {}, h("legend", {}, "HttpTokens"), radio("optional", "optional: IMDSv1 and IMDSv2 are answered"), radio("required", "required: IMDSv2 only, token-less calls get 401")),
    h("div", { class: "field" }, h("label", { for: "hopLimit" }, "Hop limit (HttpPutResponseHopLimit)"), h("input", { id: "hopLimit", name: "hopLimit", type: "number", min: 1, max: 64, value: current.httpPutResponseHopLimit })),
    select("httpEndpoint", "Endpoint (HttpEndpoint)", current.httpEndpoint, [["enabled", "enabled"], ["disabled", "disabled: every request gets 403"]]),
    select("httpProtocolIpv6", "IPv6 endpoint (HttpProtocolIpv6)", current.httpProtocolIpv6, [["disabled", "disabled"], ["enabled", "enabled"]]),
    select("instanceMetadataTags", "Tags in metadata (InstanceMetadataTags)", current.instanceMetadataTags, [["disabled", "disabled"], ["enabled", "enabled"]]),
    box,
    buttons("Apply changes"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = {
      HttpTokens: data.get("httpTokens"),
      HttpPutResponseHopLimit: data.get("hopLimit"),
      HttpEndpoint: data.get("httpEndpoint"),
      HttpProtocolIpv6: data.get("httpProtocolIpv6"),
      InstanceMetadataTags: data.get("instanceMetadataTags"),
    };
    const before = { HttpTokens: current.httpTokens, HttpPutResponseHopLimit: String(current.httpPutResponseHopLimit), HttpEndpoint: current.httpEndpoint, HttpProtocolIpv6: current.httpProtocolIpv6, InstanceMetadataTags: current.instanceMetadataTags };
    const change = Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== before[k]));
    const changed = Object.entries(change).map(([k, v]) => `${k}=${v}`).join(", ");
    void submitWith(form, box, async () => {
      if (changed === "") return { ok: false, code: "NothingChanged", message: "Change a value first." };
      const result = await modifyInstanceMetadataOptions(instance, change);
      return result.ok ? { ok: true, message: `ModifyInstanceMetadataOptions ${instance.instanceId}: ${changed}` } : result;
    }, onDone);
  });
  open(`Metadata options of ${instance.name ?? instance.instanceId}`, h("p", { id: "editor-note", class: "small muted" }, `${instance.instanceId} in ${instance.region}. Sent as ModifyInstanceMetadataOptions with only the fields you change.`), form, tagsSection(instance, onDone));
}

function tagsSection(instance, onDone) {
  const box = errorBox();
  const run = async (result, message) => {
    if (result.ok) {
      dialog().close();
      onDone(message);
    } else showError(box, result);
  };
  const form = h(
    "form",
    { class: "inline-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "tagKey" }, "Key"), h("input", { id: "tagKey", name: "key", autocomplete: "off" })),
    h("div", { class: "field" }, h("label", { for: "tagValue" }, "Value"), h("input", { id: "tagValue", name: "value", autocomplete: "off" })),
    h("button", { type: "submit", class: "btn" }, "Add tag"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    await run(await createTag(instance, String(data.get("key")), String(data.get("value"))), `CreateTags ${instance.instanceId}: ${data.get("key")}`);
  });
  return h(
    "section",
    { class: "tags-editor", "aria-labelledby": "tags-title" },
    h("h3", { id: "tags-title" }, "Tags"),
    h("ul", { class: "tag-list" }, instance.tags.map((t) => h("li", {}, h("span", { class: "mono" }, t.key), " = ", h("span", { class: "mono" }, t.value), h("button", { type: "button", class: "btn ghost small", "aria-label": `Remove tag ${t.key}`, onclick: async () => run(await deleteTag(instance, t.key), `DeleteTags ${instance.instanceId}: ${t.key}`) }, "Remove")))),
    form,
    box,
  );
}

const NO_PREF = "no-preference";

/** `region` is a row of the overview, or null to set defaults in another Region. */
export function openDefaultsEditor(region, defaultScope, onDone) {
  const d = region?.defaults ?? {};
  const box = errorBox();
  const choices = (values) => [[NO_PREF, "no preference"], ...values.map((v) => [v, v])];
  const form = h(
    "form",
    { novalidate: true },
    region === null && h("div", { class: "field" }, h("label", { for: "region" }, "Region"), h("input", { id: "region", name: "region", value: defaultScope.region, autocomplete: "off" })),
    select("d-httpTokens", "HttpTokens", d.httpTokens ?? NO_PREF, choices(["optional", "required"])),
    h("div", { class: "field" }, h("label", { for: "d-hopLimit" }, "Hop limit (empty: no preference)"), h("input", { id: "d-hopLimit", name: "d-hopLimit", type: "number", min: 1, max: 64, value: d.httpPutResponseHopLimit ?? "" })),
    select("d-httpEndpoint", "HttpEndpoint", d.httpEndpoint ?? NO_PREF, choices(["enabled", "disabled"])),
    select("d-instanceMetadataTags", "InstanceMetadataTags", d.instanceMetadataTags ?? NO_PREF, choices(["enabled", "disabled"])),
    select("d-httpTokensEnforced", "HttpTokensEnforced: refuse launches and changes that allow IMDSv1", d.httpTokensEnforced ?? NO_PREF, choices(["enabled", "disabled"])),
    box,
    buttons("Save defaults"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const target = region?.region ?? String(data.get("region")).trim();
    const hop = String(data.get("d-hopLimit")).trim();
    const next = {
      HttpTokens: data.get("d-httpTokens"),
      HttpPutResponseHopLimit: hop === "" ? "-1" : hop,
      HttpEndpoint: data.get("d-httpEndpoint"),
      InstanceMetadataTags: data.get("d-instanceMetadataTags"),
      HttpTokensEnforced: data.get("d-httpTokensEnforced"),
    };
    const before = { HttpTokens: d.httpTokens ?? NO_PREF, HttpPutResponseHopLimit: d.httpPutResponseHopLimit === undefined ? "-1" : String(d.httpPutResponseHopLimit), HttpEndpoint: d.httpEndpoint ?? NO_PREF, InstanceMetadataTags: d.instanceMetadataTags ?? NO_PREF, HttpTokensEnforced: d.httpTokensEnforced ?? NO_PREF };
    const change = Object.fromEntries(Object.entries(next).filter(([k, v]) => v !== before[k]));
    void submitWith(form, box, async () => {
      if (Object.keys(change).length === 0) return { ok: false, code: "NothingChanged", message: "Change a value first." };
      const result = await modifyInstanceMetadataDefaults(target, change);
      return result.ok ? { ok: true, message: `ModifyInstanceMetadataDefaults ${target}: ${Object.entries(change).map(([k, v]) => `${k}=${v}`).join(", ")}` } : result;
    }, onDone);
  });
  const scope = region ?? defaultScope;
  open(region === null ? "Account defaults in another Region" : `Account defaults of ${region.region}`, h("p", { class: "small muted" }, `Account ${scope.accountId}. Sent as ModifyInstanceMetadataDefaults; they apply to instances launched from now on.`), form);
}
