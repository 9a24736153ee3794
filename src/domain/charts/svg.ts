// Small, pure SVG chart builders for the insight pages: server-rendered, no script, accessible.
// Each chart is one <svg role="img"> named by its <title> and described by its <desc> (the text
// alternative: what the chart shows, in a sentence or two); the page puts the full data in a table
// beside it. Series differ by line style and marker shape as well as colour, so colour is never the
// only way to tell them apart (WCAG 1.4.1); colours are GOV.UK's, each 3:1 or more against white.

export type Series = { name: string; values: ReadonlyArray<number | null> };
export type ChartSpec = {
  id: string;
  title: string;
  /** The text alternative: a plain summary of what the chart shows. */
  description: string;
  /** One label per value along the bottom (months, bands, …). */
  labels: readonly string[];
  series: readonly Series[];
  /** Formats values on the axis (e.g. pounds, per cent). */
  format?: (v: number) => string;
  /** Counts: the axis steps by whole numbers. */
  integers?: boolean;
};

const COLOURS = ['#1d70b8', '#d4351c', '#00703c', '#4c2c92'];
const DASHES = ['', '8 4', '2 3', '12 4 2 4'];
const WIDTH = 640;
const HEIGHT = 320;
const PAD = { top: 16, right: 16, bottom: 56, left: 72 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A round number at or above the largest value, with 4 or 5 steps to it: 0, 250, 500, 750, 1000. */
export function niceScale(max: number, integers = false): { max: number; step: number } {
  if (!(max > 0)) return integers ? { max: 4, step: 1 } : { max: 1, step: 0.25 };
  if (integers && max <= 4) return { max: 4, step: 1 };
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough && (!integers || Number.isInteger(s)))!;
  return { max: Number((Math.ceil(Number((max / step).toPrecision(12))) * step).toPrecision(12)), step };
}

/** Which labels to print so they never overlap: about one for every 90 pixels. */
export function labelEvery(count: number, width = WIDTH - PAD.left - PAD.right, room = 90): number {
  return Math.max(1, Math.ceil((count * room) / width));
}

const num = (n: number) => (Math.round(n * 10) / 10).toString();

/** Roughly how wide a legend entry is at 16px: the key, the text, a gap. */
const legendWidth = (text: string) => 50 + text.length * 9;

type LegendEntry = { label: string; key: string };

function frame(spec: ChartSpec, body: string, entries: LegendEntry[] = lineKeys(spec)): string {
  const t = `${spec.id}-title`;
  const d = `${spec.id}-desc`;
  let x = 0;
  const items = entries.map((e) => {
    const item = `<g transform="translate(${x},0)">${e.key}<text x="30" y="0">${escapeXml(e.label)}</text></g>`;
    x += legendWidth(e.label);
    return item;
  }).join('');
  const start = x <= WIDTH - PAD.left ? PAD.left : 8;
  const legend = entries.length > 1 ? `<g class="app-chart__legend" font-size="16" fill="#0b0c0c" transform="translate(${start},${HEIGHT - 14})">${items}</g>` : '';
  return `<svg class="app-chart" id="${spec.id}" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" font-family="arial, sans-serif" role="img" aria-labelledby="${t} ${d}" focusable="false" xmlns="http://www.w3.org/2000/svg">`
    + `<title id="${t}">${escapeXml(spec.title)}</title><desc id="${d}">${escapeXml(spec.description)}</desc>`
    + body + legend + '</svg>';
}

function lineKeys(spec: ChartSpec): LegendEntry[] {
  return spec.series.map((s, i) => ({
    label: s.name,
    key: `<line x1="0" y1="-4" x2="24" y2="-4" stroke="${COLOURS[i % 4]}" stroke-width="3" stroke-dasharray="${DASHES[i % 4]}"/>`,
  }));
}

function axes(spec: ChartSpec, max: number, step: number, xAt: (i: number) => number): string {
  const fmt = spec.format ?? ((v: number) => v.toLocaleString('en-GB'));
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  let out = '<g class="app-chart__axes" font-size="16" fill="#0b0c0c">';
  const steps = Math.round(max / step);
  for (let i = 0; i <= steps; i++) {
    const v = Number((i * step).toPrecision(12));
    const y = PAD.top + plotH - (v / max) * plotH;
    out += `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${num(y)}" y2="${num(y)}" stroke="#b1b4b6" stroke-width="1"/>`;
    out += `<text x="${PAD.left - 8}" y="${num(y + 4)}" text-anchor="end">${escapeXml(fmt(v))}</text>`;
  }
  const every = labelEvery(spec.labels.length);
  spec.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    out += `<text x="${num(xAt(i))}" y="${HEIGHT - PAD.bottom + 20}" text-anchor="middle">${escapeXml(label)}</text>`;
  });
  out += `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${HEIGHT - PAD.bottom}" y2="${HEIGHT - PAD.bottom}" stroke="#0b0c0c" stroke-width="1"/>`;
  return out + '</g>';
}

function maxOf(spec: ChartSpec, extra: number[] = []): number {
  return Math.max(0, ...extra, ...spec.series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
}

/** A line chart: one line per series over the labels; gaps where a value is null. */
export function lineChart(spec: ChartSpec): string {
  const { max, step } = niceScale(maxOf(spec), spec.integers);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = spec.labels.length;
  const xAt = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const yAt = (v: number) => PAD.top + plotH - (v / max) * plotH;
  let body = axes(spec, max, step, xAt);
  spec.series.forEach((s, k) => {
    const colour = COLOURS[k % 4];
    let path = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      path += `${pen ? 'L' : 'M'}${num(xAt(i))} ${num(yAt(v))}`;
      pen = true;
    });
    if (path) body += `<path d="${path}" fill="none" stroke="${colour}" stroke-width="3" stroke-dasharray="${DASHES[k % 4]}"/>`;
    if (n <= 24) {
      s.values.forEach((v, i) => {
        if (v === null) return;
        body += k % 2 === 0
          ? `<circle cx="${num(xAt(i))}" cy="${num(yAt(v))}" r="4" fill="${colour}"/>`
          : `<rect x="${num(xAt(i) - 4)}" y="${num(yAt(v) - 4)}" width="8" height="8" fill="${colour}"/>`;
      });
    }
  });
  return frame(spec, body);
}

/** A bar chart: a group of bars per label, one bar per series; an optional dashed reference line (a budget, a target). */
export function barChart(spec: ChartSpec & { reference?: { value: number; label: string } }): string {
  const { max, step } = niceScale(maxOf(spec, spec.reference ? [spec.reference.value] : []), spec.integers);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = Math.max(1, spec.labels.length);
  const band = plotW / n;
  const groupW = band * 0.8;
  const barW = groupW / Math.max(1, spec.series.length);
  const xAt = (i: number) => PAD.left + band * i + band / 2;
  const yAt = (v: number) => PAD.top + plotH - (v / max) * plotH;
  let body = axes(spec, max, step, xAt);
  spec.series.forEach((s, k) => {
    const colour = COLOURS[k % 4];
    s.values.forEach((v, i) => {
      if (v === null || v <= 0) return;
      const x = PAD.left + band * i + (band - groupW) / 2 + k * barW;
      // Second and later series are hatched, so they differ by more than colour.
      const fill = k === 0 ? colour : `url(#${spec.id}-hatch-${k})`;
      body += `<rect x="${num(x)}" y="${num(yAt(v))}" width="${num(Math.max(1, barW - 1))}" height="${num(yAt(0) - yAt(v))}" fill="${fill}" stroke="${colour}" stroke-width="1"/>`;
    });
  });
  const defs = spec.series.slice(1).map((_, j) => {
    const k = j + 1;
    return `<pattern id="${spec.id}-hatch-${k}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLOURS[k % 4]}" stroke-width="3"/></pattern>`;
  }).join('');
  const entries: LegendEntry[] = spec.series.map((s, k) => ({
    label: s.name,
    key: `<rect x="0" y="-14" width="24" height="14" fill="${k === 0 ? COLOURS[0] : `url(#${spec.id}-hatch-${k})`}" stroke="${COLOURS[k % 4]}" stroke-width="1"/>`,
  }));
  if (spec.reference) {
    const y = num(yAt(spec.reference.value));
    body += `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y}" y2="${y}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>`;
    entries.push({ label: spec.reference.label, key: '<line x1="0" y1="-4" x2="24" y2="-4" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="6 4"/>' });
  }
  return frame(spec, (defs ? `<defs>${defs}</defs>` : '') + body, entries);
}
