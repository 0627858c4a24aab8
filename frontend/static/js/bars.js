// Horizontal bar charts as SVG drawn from the data: every bar carries its label and its value
// as text, and a second series is hatched rather than coloured, so a chart reads without colour
// (and a screen reader gets the same figures from its title and description).
const SVG = "http://www.w3.org/2000/svg";
const ROW = 30;
const LABEL = 280;
const WIDTH = 720;
const BAR = WIDTH - LABEL - 90;
let charts = 0;

function node(tag, attrs = {}, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

/**
 * rows: [{label, value (a number), text (the value as shown), reference?: boolean}]
 * max: the value of a full-width bar (1 for shares).
 */
export function barChart(title, description, rows, max) {
  const id = `chart-${++charts}`;
  const height = rows.length * ROW + 10;
  const svg = node("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`, width: "100%", role: "img",
    "aria-labelledby": `${id}-title ${id}-desc`, class: "bar-chart",
  });
  svg.append(node("title", { id: `${id}-title` }, title));
  svg.append(node("desc", { id: `${id}-desc` },
    `${description} ${rows.map((r) => `${r.label}: ${r.text}`).join("; ")}`));
  const defs = node("defs");
  const hatch = node("pattern", {
    id: `${id}-hatch`, width: 6, height: 6, patternUnits: "userSpaceOnUse",
    patternTransform: "rotate(45)",
  });
  hatch.append(node("rect", { width: 6, height: 6, fill: "#ffffff" }));
  hatch.append(node("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: "#003476", "stroke-width": 3 }));
  defs.append(hatch);
  svg.append(defs);
  rows.forEach((row, i) => {
    const y = i * ROW + 5;
    const width = max > 0 ? Math.max(0, Math.min(1, row.value / max)) * BAR : 0;
    svg.append(node("text", { x: LABEL - 8, y: y + 17, "text-anchor": "end", class: "bar-label" }, row.label));
    svg.append(node("rect", {
      x: LABEL, y, width: Math.max(width, 1), height: ROW - 8,
      fill: row.reference ? `url(#${id}-hatch)` : "#003476", stroke: "#003476",
    }));
    svg.append(node("text", { x: LABEL + width + 6, y: y + 17, class: "bar-value" }, row.text));
  });
  return svg;
}
