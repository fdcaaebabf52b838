import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { renderTrendChart, trendChartSvg, type TrendChartInput, type TrendSeries } from "../../../src/charts/trend-chart.ts";

const years = (n: number, from = 2015) => Array.from({ length: n }, (_, i) => String(from + i));
const months = (n: number, from = 2015) => Array.from({ length: n }, (_, i) => `${from + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`);
const ramp = (n: number, scale: number) => Array.from({ length: n }, (_, i) => Math.round((scale * (i + 1)) / n));

function chart(series: TrendSeries[], periods = years(series[0]?.counts.length ?? 5), title = "Papers per year"): TrendChartInput {
  return { title, periods, series };
}

/** The text of every <text> in the SVG group with this class, as written (escaped). */
function texts(svg: string, group: string): string[] {
  const body = new RegExp(`<g class="${group}"[^>]*>([\\s\\S]*?)</g>`).exec(svg)?.[1] ?? "";
  return [...body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!);
}

function xPositions(svg: string, group: string): number[] {
  const body = new RegExp(`<g class="${group}"[^>]*>([\\s\\S]*?)</g>`).exec(svg)?.[1] ?? "";
  return [...body.matchAll(/<text x="([\d.]+)"/g)].map((match) => Number(match[1]));
}

function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const threeSeries = (periods: string[]) =>
  chart(
    [
      { label: "diffusion models", counts: ramp(periods.length, 2400) },
      { label: "transformers", counts: ramp(periods.length, 900) },
      { label: "graph neural networks", counts: ramp(periods.length, 300) },
    ],
    periods,
    "Papers per month on three topics",
  );

describe("renderTrendChart", () => {
  it("gives a 1000 × 560 PNG", () => {
    const png = renderTrendChart(chart([{ label: "robots", counts: [1, 4, 9, 16, 25] }]));
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
    expect(pngSize(png)).toEqual({ width: 1000, height: 560 });
  });

  it("gives the same bytes for the same input", () => {
    const input = threeSeries(months(36));
    expect(renderTrendChart(input).equals(renderTrendChart(input))).toBe(true);
  });

  it("renders three series over 120 months", () => {
    const input = threeSeries(months(120));
    const png = renderTrendChart(input);
    expect(pngSize(png)).toEqual({ width: 1000, height: 560 });
    const svg = trendChartSvg(input);
    for (const colour of ["#0072B2", "#D55E00", "#009E73"]) expect(svg).toContain(`stroke="${colour}"`);
  });

  it("renders the edge cases: one period, one series, all zero, huge counts", () => {
    const inputs = [
      chart([{ label: "mixture of experts", counts: [7] }], ["2024-03"]),
      chart([{ label: "quantum gravity", counts: [0, 0, 0, 0] }]),
      chart([{ label: "big", counts: [1e6, 2e5, 0, 999_999] }]),
      chart([{ label: "one", counts: [0] }], ["2024"]),
    ];
    for (const input of inputs) expect(pngSize(renderTrendChart(input))).toEqual({ width: 1000, height: 560 });
  });
});

describe("trendChartSvg text", () => {
  it("shows the title and every label, escaped", () => {
    const svg = trendChartSvg(
      chart([
        { label: "RAG & retrieval", counts: [1, 2, 3] },
        { label: "<b>bold</b>", counts: [3, 2, 1] },
        { label: `"quoted" 'single'`, counts: [0, 0, 0] },
      ], years(3), "Topics <2024> & more"),
    );
    expect(texts(svg, "title")).toEqual(["Topics &lt;2024&gt; &amp; more"]);
    expect(texts(svg, "legend")).toEqual(["RAG &amp; retrieval", "&lt;b&gt;bold&lt;/b&gt;", "&quot;quoted&quot; &#39;single&#39;"]);
    expect(XMLValidator.validate(svg)).toBe(true);
  });

  it("keeps hostile labels literal, well-formed and short", () => {
    const hostile = ["</text><script>alert(1)</script>", "a & b", "&amp;", "nul\u0000here", "lone \ud800 surrogate", "x".repeat(500), "\ud800", "\u0000\u0001\ufffe"];
    for (const label of hostile) {
      const input = chart([{ label, counts: [1, 2, 3] }], years(3), label);
      const svg = trendChartSvg(input);
      expect(svg).not.toMatch(/<script/i);
      expect(XMLValidator.validate(svg), label.slice(0, 40)).toBe(true);
      // encodeURIComponent throws on a lone surrogate.
      expect(() => encodeURIComponent(svg)).not.toThrow();
      expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      expect(() => renderTrendChart(input)).not.toThrow();
    }
    const svg = trendChartSvg(chart([{ label: "&amp;", counts: [1] }, { label: "</text><script>alert(1)</script>", counts: [2] }], ["2024"]));
    expect(texts(svg, "legend")).toEqual(["&amp;amp;", "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;"]);
    expect(texts(trendChartSvg(chart([{ label: "nul\u0000here \ud800!", counts: [1] }], ["2024"])), "legend")).toEqual(["nulhere !"]);
  });

  it("cuts long labels and titles with an ellipsis, on code points", () => {
    const emoji = "🧪".repeat(100);
    const svg = trendChartSvg(chart([{ label: "x".repeat(500), counts: [1] }, { label: emoji, counts: [1] }], ["2024"], "T".repeat(500)));
    const [long, emojis] = texts(svg, "legend");
    expect(Array.from(long!).length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^x+…$/);
    expect(Array.from(emojis!).length).toBeLessThanOrEqual(40);
    expect(emojis).toMatch(/^(🧪)+…$/u);
    const title = texts(svg, "title");
    expect(title.length).toBeLessThanOrEqual(2);
    expect(Array.from(title.join("")).length).toBeLessThanOrEqual(80);
    expect(title.at(-1)).toMatch(/…$/);
  });

  it("wraps a long title onto a second line rather than off the canvas", () => {
    const svg = trendChartSvg(chart([{ label: "a", counts: [1] }], ["2024"], "Papers per month on diffusion models, transformers and graph neural networks"));
    expect(texts(svg, "title").join(" ")).toBe("Papers per month on diffusion models, transformers and graph neural networks");
    expect(texts(svg, "title")).toHaveLength(2);
  });

  it("names an unnamed series", () => {
    expect(texts(trendChartSvg(chart([{ label: " \u0000 ", counts: [1] }], ["2024"])), "legend")).toEqual(["Series 1"]);
  });
});

describe("trendChartSvg axes", () => {
  const yLabels = (max: number, n = 4) => texts(trendChartSvg(chart([{ label: "a", counts: [...Array(n - 1).fill(0), max] }])), "y-labels");

  it("starts the y axis at 0 with 4-6 round ticks and thousands separators", () => {
    expect(yLabels(7)).toEqual(["0", "2", "4", "6", "8"]);
    expect(yLabels(1234)).toEqual(["0", "500", "1,000", "1,500"]);
    expect(yLabels(1e6)).toEqual(["0", "200,000", "400,000", "600,000", "800,000", "1,000,000"]);
    expect(yLabels(9)).toEqual(["0", "2", "4", "6", "8", "10"]);
    for (const max of [0, 1, 3, 7, 9, 10, 11, 49, 51, 99, 101, 999, 1001, 12_345, 987_654, 3e7]) {
      const labels = yLabels(max);
      expect(labels[0], `max ${max}`).toBe("0");
      expect(labels.length, `max ${max}`).toBeGreaterThanOrEqual(4);
      expect(labels.length, `max ${max}`).toBeLessThanOrEqual(6);
      expect(Number(labels.at(-1)!.replaceAll(",", "")), `max ${max}`).toBeGreaterThanOrEqual(max);
    }
  });

  it("gives an all-zero chart a small axis", () => {
    expect(yLabels(0)).toEqual(["0", "1", "2", "3"]);
  });

  it("thins x labels so they never overlap, keeping the first and the last", () => {
    const svg = trendChartSvg(threeSeries(months(120)));
    const labels = texts(svg, "x-labels");
    expect(labels.length).toBeGreaterThanOrEqual(4);
    expect(labels.length).toBeLessThanOrEqual(12);
    expect(labels[0]).toBe("Jan 2015");
    expect(labels.at(-1)).toBe("Dec 2024");
    const xs = xPositions(svg, "x-labels");
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(110);
  });

  it("labels every period when there is room", () => {
    expect(texts(trendChartSvg(chart([{ label: "a", counts: ramp(8, 80) }], years(8, 2017))), "x-labels")).toEqual(years(8, 2017));
    expect(texts(trendChartSvg(chart([{ label: "a", counts: [3] }], ["2024-03"])), "x-labels")).toEqual(["Mar 2024"]);
  });

  it("marks points when there are few periods, not when there are many", () => {
    const markers = (n: number) => (trendChartSvg(chart([{ label: "a", counts: ramp(n, 50) }], months(n))).match(/<circle/g) ?? []).length;
    expect(markers(1)).toBe(1 + 1); // the point and the legend's sample
    expect(markers(12)).toBe(12 + 1);
    expect(markers(120)).toBe(0);
  });
});

describe("trendChartSvg input checks", () => {
  const series = (label: string): TrendSeries => ({ label, counts: [1, 2, 3] });

  it("needs 1 to 3 series", () => {
    expect(() => trendChartSvg(chart([], years(3)))).toThrow(/1 to 3 series, not 0/);
    expect(() => trendChartSvg(chart(["a", "b", "c", "d"].map(series)))).toThrow(/1 to 3 series, not 4/);
    expect(() => renderTrendChart(chart(["a", "b", "c", "d"].map(series)))).toThrow(Error);
  });

  it("needs one count per period", () => {
    expect(() => trendChartSvg(chart([series("a"), { label: "b", counts: [1, 2] }], years(3)))).toThrow(/Series 2 .* 2 counts for 3 periods/);
    expect(() => trendChartSvg(chart([series("a")], years(4)))).toThrow(/3 counts for 4 periods/);
    expect(() => trendChartSvg(chart([{ label: "a", counts: [] }], []))).toThrow(/at least one period/);
  });

  it("needs counts that are numbers of at least 0", () => {
    expect(() => trendChartSvg(chart([{ label: "a", counts: [1, -1, 2] }]))).toThrow(/negative or not a number/);
    expect(() => trendChartSvg(chart([{ label: "a", counts: [1, Number.NaN, 2] }]))).toThrow(/negative or not a number/);
  });
});
