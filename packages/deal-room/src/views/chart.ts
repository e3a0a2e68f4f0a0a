import { escapeHtml, Html } from "./html";

export interface ChartSeries {
  name: string;
  colour: string;
  /** Each value holds from its time until the next one's (states are piecewise constant). */
  points: Array<{ at: string; value: number | null }>;
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 56, right: 16, top: 12, bottom: 28 };
const short = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/**
 * A step chart in inline SVG (no script, no library): one line per series over the states'
 * times, up to `end`. `format` labels the y axis.
 */
export function stepChart(title: string, series: readonly ChartSeries[], options: { end: string; max?: number; format: (value: number) => string }): Html {
  const times = series.flatMap((s) => s.points.map((p) => Date.parse(p.at)));
  const start = Math.min(...times);
  const end = Math.max(Date.parse(options.end), ...times) + 1;
  const values = series.flatMap((s) => s.points.map((p) => p.value ?? 0));
  const max = options.max ?? Math.max(1, ...values);
  const x = (t: number) => PAD.left + ((t - start) / (end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const lines = series.map((s) => {
    const steps = s.points.flatMap((p, i) => {
      if (p.value === null) return [];
      const from = x(Date.parse(p.at));
      const until = x(i + 1 < s.points.length ? Date.parse(s.points[i + 1]!.at) : end);
      return [`${from.toFixed(1)},${y(p.value).toFixed(1)}`, `${until.toFixed(1)},${y(p.value).toFixed(1)}`];
    });
    const dots = s.points
      .filter((p) => p.value !== null)
      .map(
        (p) =>
          `<circle cx="${x(Date.parse(p.at)).toFixed(1)}" cy="${y(p.value!).toFixed(1)}" r="3" fill="${s.colour}"><title>${escapeHtml(`${s.name}: ${options.format(p.value!)} from ${short.format(new Date(p.at))}`)}</title></circle>`,
      );
    return `<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${steps.join(" ")}"/>${dots.join("")}`;
  });
  const ticks = [0, 0.5, 1].map(
    (f) =>
      `<text x="${PAD.left - 6}" y="${(y(max * f) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeHtml(options.format(max * f))}</text>` +
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(max * f).toFixed(1)}" y2="${y(max * f).toFixed(1)}" class="grid"/>`,
  );
  // A date label too close to the one before it would overprint it.
  let lastLabel = -Infinity;
  const dates = [...new Set(times)]
    .sort((a, b) => a - b)
    .filter((t) => {
      if (x(t) - lastLabel < 48) return false;
      lastLabel = x(t);
      return true;
    })
    .map((t) => `<text x="${x(t).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" class="tick">${escapeHtml(short.format(new Date(t)))}</text>`);
  const legend = series.map((s) => `<span class="legend"><i style="background:${s.colour}"></i>${escapeHtml(s.name)}</span>`).join("");
  return new Html(
    `<figure class="chart"><figcaption>${escapeHtml(title)} ${legend}</figcaption>` +
      `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">${ticks.join("")}${dates.join("")}${lines.join("")}</svg></figure>`,
  );
}
