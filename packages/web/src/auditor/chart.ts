/** A grouped bar chart as inline SVG (no chart library): revoked, suspended and reinstated per issuer. */
import { type Child, h as s } from "../lib/dom.ts";

export interface BarGroup {
  readonly label: string;
  readonly values: readonly { readonly key: string; readonly value: number; readonly color: string; readonly name: string }[];
}

/**
 * Horizontal grouped bars, one group per issuer. The SVG carries a `<title>` and `<desc>` for screen readers; the
 * page also shows the same numbers in a table.
 */
export function barChart(params: { readonly title: string; readonly description: string; readonly groups: readonly BarGroup[] }): Child {
  const { groups } = params;
  const labelWidth = 230;
  const barHeight = 16;
  const gap = 4;
  const groupGap = 18;
  const width = 720;
  const plotWidth = width - labelWidth - 60;
  const max = Math.max(1, ...groups.flatMap((g) => g.values.map((v) => v.value)));
  const groupHeight = (g: BarGroup) => g.values.length * (barHeight + gap);
  const height = 20 + groups.reduce((sum, g) => sum + groupHeight(g) + groupGap, 0);
  let y = 10;
  const children: Child[] = [];
  for (const g of groups) {
    const h = groupHeight(g);
    children.push(s("text", { x: 0, y: y + h / 2, "dominant-baseline": "middle" }, g.label.length > 32 ? `${g.label.slice(0, 31)}…` : g.label));
    g.values.forEach((v, i) => {
      const by = y + i * (barHeight + gap);
      const w = Math.round((v.value / max) * plotWidth);
      children.push(
        s("rect", { x: labelWidth, y: by, width: Math.max(w, v.value > 0 ? 2 : 0), height: barHeight, fill: v.color, rx: 2 }, s("title", null, `${g.label}: ${v.name} ${v.value}`)),
        s("text", { x: labelWidth + w + 6, y: by + barHeight / 2, "dominant-baseline": "middle" }, String(v.value)),
      );
    });
    y += h + groupGap;
  }
  return s(
    "svg",
    { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "chart-title chart-desc" },
    s("title", { id: "chart-title" }, params.title),
    s("desc", { id: "chart-desc" }, params.description),
    s("line", { x1: labelWidth, y1: 4, x2: labelWidth, y2: height - 6, stroke: "#7c8596" }),
    children,
  );
}
