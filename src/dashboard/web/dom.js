// Small DOM helpers. Everything the page shows is built with createElement and textContent, never
// innerHTML, because tag keys and values come from API callers.

const SVG_NS = "http://www.w3.org/2000/svg";

/** h("td", { class: "x", "aria-label": "y", onclick: fn }, child, "text", [more]) */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

function build(element, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces a container's content, keeping keyboard focus on the control with the same data-key. */
export function replaceContent(container, ...children) {
  const focused = document.activeElement;
  const key = focused instanceof HTMLElement && container.contains(focused) ? focused.dataset.key : undefined;
  container.replaceChildren();
  append(container, children);
  if (key !== undefined) container.querySelector(`[data-key="${CSS.escape(key)}"]`)?.focus();
}

const ICON_PATHS = {
  lockOpen: "M7 11V7a5 5 0 0 1 9.6-2M5 11h14v10H5z",
  lockClosed: "M7 11V7a5 5 0 0 1 10 0v4M5 11h14v10H5z",
  check: "M20 6 9 17l-5-5",
  alert: "M12 3 2 21h20L12 3zm0 6v5m0 3v.5",
  ban: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM5.6 5.6l12.8 12.8",
  clock: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 4v5l3 2",
  power: "M12 3v8M6.3 6.3a8 8 0 1 0 11.4 0",
  arrowUp: "M12 19V5M5 12l7-7 7 7",
  info: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 8v6m0-9v.5",
};

/** A decorative 1em icon: the text next to it carries the meaning. */
export function icon(name) {
  return s(
    "svg",
    { class: `icon icon-${name}`, viewBox: "0 0 24 24", "aria-hidden": "true", focusable: "false" },
    s("path", { d: ICON_PATHS[name] ?? ICON_PATHS.info }),
  );
}

export const FIELD_LABELS = {
  httpTokens: "HttpTokens",
  httpPutResponseHopLimit: "Hop limit",
  httpEndpoint: "Endpoint",
  httpProtocolIpv6: "IPv6",
  instanceMetadataTags: "Tags in metadata",
};

export const LEVEL_LABELS = {
  "launch-parameters": "RunInstances",
  "launch-template": "Launch template",
  "account-defaults": "Account default",
  ami: "AMI",
  "ec2-default": "EC2 default",
  "modified-after-launch": "Modified",
  unrecorded: "Not recorded",
};

/** Verdict (domain/migration/caller-report) -> label, tone and icon; the label says it in words. */
export const VERDICTS = {
  "already-required": { label: "IMDSv2 enforced", tone: "good", icon: "check" },
  rejecting: { label: "Required, IMDSv1 calls refused", tone: "bad", icon: "alert" },
  ready: { label: "Ready to require IMDSv2", tone: "info", icon: "arrowUp" },
  "hop-limit": { label: "Callers need a higher hop limit", tone: "warn", icon: "alert" },
  breaks: { label: "Blocked by IMDSv1 callers", tone: "bad", icon: "ban" },
  "no-traffic": { label: "No calls yet", tone: "muted", icon: "clock" },
  "endpoint-disabled": { label: "IMDS off", tone: "muted", icon: "power" },
};
export const TERMINATED = { label: "Terminated", tone: "muted", icon: "power" };

export function badge(tone, iconName, text, extra = {}) {
  return h("span", { class: `badge ${tone}`, ...extra }, icon(iconName), h("span", {}, text));
}

export function levelChip(level, detail) {
  return h("span", { class: `chip level-${level}`, title: detail }, LEVEL_LABELS[level] ?? level);
}

export function formatCount(n) {
  return new Intl.NumberFormat("en").format(n);
}

export function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleTimeString("en-GB", { hour12: false });
}
