import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, labelEvery, lineChart, niceScale } from './svg.ts';

describe('chart scales', () => {
  it('rounds the top of the axis up to a nice number with 4 or 5 steps', () => {
    expect(niceScale(1000)).toEqual({ max: 1000, step: 250 });
    expect(niceScale(1030)).toEqual({ max: 1500, step: 500 });
    expect(niceScale(7)).toEqual({ max: 8, step: 2 });
    expect(niceScale(0.6)).toEqual({ max: 0.6, step: 0.2 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.25 });
    expect(niceScale(120_000).max).toBeGreaterThanOrEqual(120_000);
  });

  it('prints fewer labels when there are many, so they never overlap', () => {
    expect(labelEvery(12)).toBe(2);
    expect(labelEvery(6)).toBe(1);
    expect(labelEvery(60)).toBe(10);
  });
});

describe('line chart', () => {
  const svg = lineChart({
    id: 'people', title: 'People on direct payments', description: 'Rising from 10 in January to 14 in March.',
    labels: ['Jan 2026', 'Feb 2026', 'Mar 2026'], series: [{ name: 'People', values: [10, 12, 14] }],
  });

  it('is an image named by its title and described by its text alternative', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="people-title people-desc"/);
    expect(svg).toContain('<title id="people-title">People on direct payments</title>');
    expect(svg).toContain('<desc id="people-desc">Rising from 10 in January to 14 in March.</desc>');
    expect(svg).toContain('viewBox="0 0 640 320"');
  });

  it('draws one point per value, higher values higher up', () => {
    const ys = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys).toHaveLength(3);
    expect(ys[0]!).toBeGreaterThan(ys[1]!);
    expect(ys[1]!).toBeGreaterThan(ys[2]!);
    expect(svg).toContain('>Jan 2026<');
  });

  it('leaves a gap for a missing value and escapes text', () => {
    const gap = lineChart({ id: 'g', title: 'A <b> & "c"', description: 'd', labels: ['a', 'b', 'c'], series: [{ name: 's', values: [1, null, 3] }] });
    expect((gap.match(/<path d="([^"]+)"/)![1]!.match(/M/g) ?? []).length).toBe(2);
    expect(gap).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(escapeXml("it's")).toBe('it&#39;s');
  });

  it('tells two series apart by line style as well as colour, with a legend', () => {
    const two = lineChart({ id: 't', title: 't', description: 'd', labels: ['a', 'b'], series: [{ name: 'One', values: [1, 2] }, { name: 'Two', values: [2, 1] }] });
    expect(two).toContain('stroke-dasharray="8 4"');
    expect(two).toContain('>One<');
    expect(two).toContain('>Two<');
    expect(two).toContain('<rect'); // square markers for the second series
  });
});

describe('bar chart', () => {
  it('draws bars in proportion, hatches the second series, and shows a reference line', () => {
    const svg = barChart({
      id: 'spend', title: 'Spend', description: 'd', labels: ['Apr', 'May'], format: (v) => `£${v}`,
      series: [{ name: 'Spent', values: [50, 100] }, { name: 'Planned', values: [60, 0] }], reference: { value: 120, label: 'Budget' },
    });
    const heights = [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#1d70b8"/g)].map((m) => Number(m[1]));
    expect(heights).toHaveLength(2);
    expect(heights[1]! / heights[0]!).toBeCloseTo(2, 1);
    expect(svg).toContain('fill="url(#spend-hatch-1)"');
    expect(svg).toContain('<pattern id="spend-hatch-1"');
    expect(svg).toContain('>Budget<');
    expect(svg).toContain('>£0<');
    // Zero bars are not drawn: 2 + 1 bars, the hatch pattern's background, and the two legend swatches.
    expect((svg.match(/<rect /g) ?? []).length).toBe(6);
  });
});

describe('legend', () => {
  it('spaces entries by their text so they fit inside the chart', () => {
    const svg = barChart({ id: 'o', title: 't', description: 'd', labels: ['a'], series: [
      { name: 'Outcomes met', values: [1] }, { name: 'Partly or not met', values: [1] }, { name: 'Not checked yet', values: [1] },
    ] });
    const xs = [...svg.matchAll(/<g transform="translate\(([\d.]+),0\)">/g)].map((m) => Number(m[1]));
    expect(xs).toEqual([0, 50 + 12 * 9, 50 + 12 * 9 + 50 + 17 * 9]);
    expect(72 + xs.at(-1)! + 50 + 15 * 9).toBeLessThanOrEqual(640);
  });
});

describe('counts', () => {
  it('step by whole numbers', () => {
    expect(niceScale(1, true)).toEqual({ max: 4, step: 1 });
    expect(niceScale(3, true)).toEqual({ max: 4, step: 1 });
    expect(niceScale(9, true)).toEqual({ max: 10, step: 5 });
    expect(niceScale(9)).toEqual({ max: 10, step: 2.5 });
    expect(niceScale(0, true)).toEqual({ max: 4, step: 1 });
  });
});
