import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { periodName } from "../render/papers.ts";
import { escapeXml, fitWidth, plainText, textWidth, wrapText } from "./svg-text.ts";

/**
 * A topic-trend line chart: counts per period for one to three series, drawn as SVG and rendered to PNG
 * with the bundled DejaVu fonts only, so the same input gives the same bytes on every machine.
 *
 * Discord shows the image about 400-520 px wide, i.e. at 0.4-0.5 of its size: every size below is about
 * twice what it should look like on screen.
 */

export interface TrendSeries {
  label: string;
  /** One count per period. */
  counts: readonly number[];
}

export interface TrendChartInput {
  title: string;
  /** "2019" or "2024-03"; months are shown as "Mar 2024". */
  periods: readonly string[];
  /** One to three series. */
  series: readonly TrendSeries[];
}

const WIDTH = 1000;
const HEIGHT = 560;
const MARGIN = 28;
/** Title 30 px bold, legend 22 px, axis labels 20 px: about 14, 10 and 9 px on a phone. */
const FONT = { title: 30, legend: 22, axis: 20 };
/** Lines of text are this many times their font size apart. */
const LEADING = 1.3;
/** DejaVu Sans capitals and digits are 0.73 em tall: a baseline this far below a line's top, or half that below its middle. */
const CAP_HEIGHT = 0.73;

/** At most 80 code points of title (two lines), 40 per legend entry, 12 per period label. */
const MAX_CHARS = { title: 80, legend: 40, period: 12 };
const TITLE_LINES = 2;

/** Lines 4.5 px thick: 2 px on a phone. */
const LINE_WIDTH = 4.5;
/** Points get markers while they are at least this far apart; closer, markers would merge into a band. */
const MARKER_MIN_GAP = 22;
const MARKER_SIZE = 7;
/** Room between two x labels, beyond their own widths. */
const X_LABEL_GAP = 28;

/** Okabe-Ito colours, told apart with any colour vision; dashes and markers tell them apart in grey too. */
const SERIES_STYLES = [
  { colour: "#0072B2", dash: "", marker: "circle" },
  { colour: "#D55E00", dash: "16 9", marker: "square" },
  { colour: "#009E73", dash: "3 10", marker: "diamond" },
] as const;
type SeriesStyle = (typeof SERIES_STYLES)[number];

const COLOURS = { background: "#ffffff", title: "#1a1a1a", text: "#333333", axis: "#555555", grid: "#e4e4e4", baseline: "#8c8c8c" };

/** Y steps are 1, 2 or 5 × 10^k: the smallest covering the highest count in at most 5 intervals (4-6 ticks). */
const MAX_INTERVALS = 5;
/** Small counts still get 4 ticks, so an all-zero chart has an axis 0-3 rather than none. */
const MIN_INTERVALS = 3;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

const require = createRequire(import.meta.url);
const FONT_FILES = [require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"), require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")];

/** The chart as a PNG, WIDTH × HEIGHT. */
export function renderTrendChart(input: TrendChartInput): Buffer {
  const svg = trendChartSvg(input);
  return new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" } }).render().asPng();
}

/** The chart as an SVG document; every piece of user text in it is cleaned, cut and escaped. */
export function trendChartSvg(input: TrendChartInput): string {
  validate(input);
  const n = input.periods.length;
  const styles = input.series.map((_, i) => SERIES_STYLES[i]!);

  // Top down: title, legend, plot; the plot's left edge leaves room for the widest y label.
  const titleLines = wrapText(plainText(input.title, MAX_CHARS.title), FONT.title, WIDTH - 2 * MARGIN, TITLE_LINES, true);
  const titleBottom = MARGIN + (titleLines.length - 1) * FONT.title * LEADING + FONT.title;
  const legend = legendLayout(
    input.series.map((series, i) => plainText(series.label, MAX_CHARS.legend) || `Series ${i + 1}`),
    titleBottom + 8,
  );

  const ticks = yTicks(input.series.reduce((max, series) => series.counts.reduce((a, b) => Math.max(a, b), max), 0));
  const tickLabels = ticks.map(thousands);
  const labels = input.periods.map(periodLabel);
  const xLabelWidth = Math.max(...labels.map((label) => textWidth(label, FONT.axis)));
  const plot = {
    top: legend.bottom + 20,
    bottom: HEIGHT - MARGIN - 14 - FONT.axis,
    left: MARGIN + Math.max(Math.max(...tickLabels.map((label) => textWidth(label, FONT.axis))) + 12, xLabelWidth / 2),
    right: WIDTH - MARGIN - xLabelWidth / 2,
  };
  const x = (i: number) => (n === 1 ? (plot.left + plot.right) / 2 : plot.left + (i * (plot.right - plot.left)) / (n - 1));
  const y = (count: number) => plot.bottom - (count / ticks.at(-1)!) * (plot.bottom - plot.top);
  const spacing = n === 1 ? Infinity : (plot.right - plot.left) / (n - 1);
  const shown = labelledPeriods(n, spacing, xLabelWidth + X_LABEL_GAP, input.periods.every((period) => MONTH.test(period)));
  const showMarkers = spacing >= MARKER_MIN_GAP;

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="${COLOURS.background}"/>`,
    `<g class="title" font-size="${FONT.title}" font-weight="bold" fill="${COLOURS.title}">`,
    ...titleLines.map((line, i) => text(MARGIN, MARGIN + FONT.title * CAP_HEIGHT + i * FONT.title * LEADING, line)),
    `</g>`,
    `<g class="legend" font-size="${FONT.legend}" fill="${COLOURS.text}">`,
    ...legend.entries.flatMap((entry, i) => [
      seriesLine(styles[i]!, [
        [entry.x, entry.y],
        [entry.x + LEGEND_SWATCH, entry.y],
      ]),
      showMarkers ? marker(styles[i]!, entry.x + LEGEND_SWATCH / 2, entry.y) : "",
      text(entry.x + LEGEND_SWATCH + LEGEND_TEXT_GAP, entry.y + (FONT.legend * CAP_HEIGHT) / 2, entry.label),
    ]),
    `</g>`,
    `<g class="grid" stroke="${COLOURS.grid}" stroke-width="1.5">`,
    ...ticks.slice(1).map((tick) => `<line x1="${px(plot.left)}" x2="${px(plot.right)}" y1="${px(y(tick))}" y2="${px(y(tick))}"/>`),
    `</g>`,
    `<g class="y-labels" font-size="${FONT.axis}" fill="${COLOURS.axis}" text-anchor="end">`,
    ...ticks.map((tick, i) => text(plot.left - 12, y(tick) + (FONT.axis * CAP_HEIGHT) / 2, tickLabels[i]!)),
    `</g>`,
    `<g class="x-axis" stroke="${COLOURS.baseline}" stroke-width="2">`,
    `<line x1="${px(plot.left)}" x2="${px(plot.right)}" y1="${px(plot.bottom)}" y2="${px(plot.bottom)}"/>`,
    ...shown.map((i) => `<line x1="${px(x(i))}" x2="${px(x(i))}" y1="${px(plot.bottom)}" y2="${px(plot.bottom + 7)}"/>`),
    `</g>`,
    `<g class="x-labels" font-size="${FONT.axis}" fill="${COLOURS.axis}" text-anchor="middle">`,
    ...shown.map((i) => text(x(i), plot.bottom + 14 + FONT.axis * CAP_HEIGHT, labels[i]!)),
    `</g>`,
    `<g class="series">`,
    ...input.series.map((series, s) => seriesLine(styles[s]!, series.counts.map((count, i) => [x(i), y(count)]))),
    ...(showMarkers ? input.series.flatMap((series, s) => series.counts.map((count, i) => marker(styles[s]!, x(i), y(count)))) : []),
    `</g>`,
    `</svg>`,
  ];
  return parts.filter(Boolean).join("\n");
}

function validate(input: TrendChartInput): void {
  const { periods, series } = input;
  if (series.length < 1 || series.length > SERIES_STYLES.length) {
    throw new Error(`A trend chart needs 1 to ${SERIES_STYLES.length} series, not ${series.length}.`);
  }
  if (periods.length === 0) throw new Error("A trend chart needs at least one period.");
  series.forEach((one, i) => {
    if (one.counts.length !== periods.length) {
      throw new Error(`Series ${i + 1} of a trend chart has ${one.counts.length} counts for ${periods.length} periods.`);
    }
    if (!one.counts.every((count) => Number.isFinite(count) && count >= 0)) {
      throw new Error(`Series ${i + 1} of a trend chart has a count that is negative or not a number.`);
    }
  });
}

/** The y axis: 0 up to the first tick at or above `max`, in round steps (see MAX_INTERVALS). */
function yTicks(max: number): number[] {
  const step = roundUp125(max / MAX_INTERVALS);
  const intervals = Math.max(MIN_INTERVALS, Math.ceil(max / step));
  return Array.from({ length: intervals + 1 }, (_, i) => i * step);
}

/**
 * The periods that get an x label: every `step`-th from the first, and the last, with labels at least
 * `room` pixels apart. Months go in steps that divide a year or are whole years; other periods in 1, 2, 5 × 10^k.
 */
function labelledPeriods(n: number, spacing: number, room: number, monthly: boolean): number[] {
  const needed = Math.max(1, Math.ceil(room / spacing));
  const step = monthly ? ([1, 2, 3, 4, 6, 12].find((s) => s >= needed) ?? 12 * Math.ceil(needed / 12)) : roundUp125(needed);
  const shown = Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
  if (shown.at(-1) !== n - 1) {
    // The last label always shows; the stepped label before it gives way when the two would touch.
    if (shown.length > 1 && (n - 1 - shown.at(-1)!) * spacing < room) shown.pop();
    shown.push(n - 1);
  }
  return shown;
}

/** The smallest of 1, 2, 5, 10, 20, 50 … at or above `value` (1 for anything up to 1). */
function roundUp125(value: number): number {
  for (let power = 1; ; power *= 10) {
    const step = [1, 2, 5].map((m) => m * power).find((candidate) => candidate >= value);
    if (step !== undefined) return step;
  }
}

function periodLabel(period: string): string {
  const month = MONTH.exec(period);
  return month ? periodName(period) : plainText(period, MAX_CHARS.period);
}

/** 1200 → "1,200", independent of the machine's locale. */
function thousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** The legend's sample line, the gap after it, and the gap between entries. */
const LEGEND_SWATCH = 44;
const LEGEND_TEXT_GAP = 10;
const LEGEND_ENTRY_GAP = 32;
const LEGEND_ROW = FONT.legend * 1.6;

/** Legend entries side by side, wrapping to a new row when the canvas is full; `y` is each row's middle. */
function legendLayout(labels: string[], top: number) {
  const room = WIDTH - 2 * MARGIN;
  const entries: Array<{ x: number; y: number; label: string }> = [];
  let x = MARGIN;
  let row = 0;
  for (const raw of labels) {
    const label = fitWidth(raw, FONT.legend, room - LEGEND_SWATCH - LEGEND_TEXT_GAP);
    const width = LEGEND_SWATCH + LEGEND_TEXT_GAP + textWidth(label, FONT.legend);
    if (x > MARGIN && x + width > MARGIN + room) {
      x = MARGIN;
      row++;
    }
    entries.push({ x, y: top + (row + 0.5) * LEGEND_ROW, label });
    x += width + LEGEND_ENTRY_GAP;
  }
  return { entries, bottom: top + (row + 1) * LEGEND_ROW };
}

function seriesLine(style: SeriesStyle, points: Array<[number, number]>): string {
  const d = points.map(([px1, py1], i) => `${i === 0 ? "M" : "L"}${px(px1)} ${px(py1)}`).join(" ");
  const dash = style.dash ? ` stroke-dasharray="${style.dash}"` : "";
  return `<path d="${d}" fill="none" stroke="${style.colour}" stroke-width="${LINE_WIDTH}" stroke-linejoin="round" stroke-linecap="round"${dash}/>`;
}

/** A filled marker with a white rim, so it stands out where lines cross. */
function marker(style: SeriesStyle, cx: number, cy: number): string {
  const r = MARKER_SIZE;
  const paint = `fill="${style.colour}" stroke="${COLOURS.background}" stroke-width="2"`;
  switch (style.marker) {
    case "circle":
      return `<circle cx="${px(cx)}" cy="${px(cy)}" r="${r}" ${paint}/>`;
    case "square":
      return `<rect x="${px(cx - r * 0.9)}" y="${px(cy - r * 0.9)}" width="${px(r * 1.8)}" height="${px(r * 1.8)}" ${paint}/>`;
    case "diamond":
      return `<path d="M${px(cx)} ${px(cy - r * 1.25)} L${px(cx + r * 1.25)} ${px(cy)} L${px(cx)} ${px(cy + r * 1.25)} L${px(cx - r * 1.25)} ${px(cy)} Z" ${paint}/>`;
  }
}

function text(x: number, y: number, content: string): string {
  return `<text x="${px(x)}" y="${px(y)}">${escapeXml(content)}</text>`;
}

/** Coordinates to one decimal: short, and the same on every machine. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}
