// The v1-versus-v2 chart: one inline SVG, no library. Buckets come from the overview's `calls`.
import { formatCount, formatTime, h, s } from "./dom.js";

const WIDTH = 760;
const HEIGHT = 230;
const PAD = { left: 44, right: 14, top: 14, bottom: 30 };

export const SERIES = [
  { key: "v2", label: "IMDSv2 calls", className: "v2" },
  { key: "v1", label: "IMDSv1 calls answered", className: "v1" },
  { key: "v1Rejected", label: "IMDSv1 calls refused", className: "v1-rejected" },
];

function niceMax(value) {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function totals(points) {
  const sum = { v1: 0, v1Rejected: 0, v2: 0 };
  for (const p of points) for (const key of Object.keys(sum)) sum[key] += p[key];
  return sum;
}

export function renderLegend(calls) {
  const sum = totals(calls.points);
  return SERIES.map((series) =>
    h("span", { class: `legend-item ${series.className}` }, h("span", { class: "swatch", "aria-hidden": "true" }), `${series.label}: `, h("strong", {}, formatCount(sum[series.key]))),
  );
}

export function renderChart(calls) {
  const { points, bucketMs } = calls;
  const sum = totals(points);
  const minutes = Math.round((points.length * bucketMs) / 60000);
  const max = niceMax(Math.max(1, ...points.flatMap((p) => [p.v1, p.v1Rejected, p.v2])));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, points.length - 1);
  const x = (i) => PAD.left + i * step;
  const y = (v) => PAD.top + plotH - (v / max) * plotH;

  const grid = [];
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    grid.push(
      s("line", { class: "grid", x1: PAD.left, x2: WIDTH - PAD.right, y1: y(value), y2: y(value) }),
      s("text", { class: "axis", x: PAD.left - 6, y: y(value) + 4, "text-anchor": "end" }, formatCount(value)),
    );
  }
  const perMinute = Math.max(1, Math.round(60000 / bucketMs));
  for (let i = points.length - 1; i >= 0; i -= perMinute) {
    const ago = Math.round(((points.length - 1 - i) * bucketMs) / 60000);
    grid.push(s("text", { class: "axis", x: x(i), y: HEIGHT - 8, "text-anchor": i === points.length - 1 ? "end" : "middle" }, ago === 0 ? "now" : `−${ago} min`));
  }

  const lines = SERIES.map((series) => {
    const coords = points.map((p, i) => `${x(i).toFixed(1)},${y(p[series.key]).toFixed(1)}`);
    const area = `${PAD.left},${y(0)} ${coords.join(" ")} ${x(points.length - 1).toFixed(1)},${y(0)}`;
    return s("g", { class: `series ${series.className}` }, s("polygon", { class: "area", points: area }), s("polyline", { class: "line", points: coords.join(" ") }));
  });

  // One transparent column per bucket, so hovering names its numbers.
  const hover = points.map((p, i) =>
    s(
      "rect",
      { class: "hover", x: x(i) - step / 2, y: PAD.top, width: step, height: plotH },
      s("title", {}, `${formatTime(new Date(p.startMs).toISOString())}: v2 ${p.v2}, v1 answered ${p.v1}, v1 refused ${p.v1Rejected}`),
    ),
  );

  const description =
    `Last ${minutes} minutes in ${bucketMs / 1000}-second steps: ${formatCount(sum.v2)} IMDSv2 calls, ` +
    `${formatCount(sum.v1)} IMDSv1 calls answered, ${formatCount(sum.v1Rejected)} IMDSv1 calls refused.`;
  return h(
    "figure",
    { class: "chart-figure" },
    s(
      "svg",
      { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-labelledby": "chart-svg-title chart-svg-desc", preserveAspectRatio: "xMidYMid meet" },
      s("title", { id: "chart-svg-title" }, "IMDS calls over time, IMDSv1 against IMDSv2"),
      s("desc", { id: "chart-svg-desc" }, description),
      grid,
      s("line", { class: "baseline", x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0) }),
      lines,
      hover,
    ),
    h("figcaption", { class: "muted small" }, description),
  );
}
