import { dayOf, hasYear } from "../../corpus/listing-order.ts";
import type { Paper } from "../../corpus/paper.ts";
import type { SearchEngine } from "../engine.ts";

/** At most this many months are shown month by month; a longer span is shown by year. */
const MAX_MONTHS = 36;
/** Years shown at most: the most recent ones. */
const MAX_YEARS = 15;

export interface TopicTrend {
  unit: "month" | "year";
  /** "2024-03" or "2024", oldest first, every period in between included. */
  periods: string[];
  series: Array<{ label: string; counts: number[]; total: number }>;
  /** Whether the last period is still running (this month or year): its count is not final. */
  partial: boolean;
}

/**
 * How many papers each topic has per month, or per year when the span is long or the dates are only years
 * (a conference corpus), by listing date else publication date, up to `now`. Periods run from the first
 * with a matching paper to the last, gaps counted as zero.
 */
export function topicTrend(engine: SearchEngine, topics: ReadonlyArray<{ label: string; test: (paper: Paper) => boolean }>, now: number): TopicTrend {
  const today = Math.floor(now / 86_400_000);
  const dated: Array<{ date: string; hits: number[] }> = [];
  let monthly = 0;
  for (const { paper, date } of engine.newestFirstDated()) {
    const day = dayOf(date);
    if (day === undefined) break; // undated papers come last
    if (day > today || !hasYear(date)) continue;
    const hits = topics.flatMap((topic, i) => (topic.test(paper) ? [i] : []));
    if (hits.length === 0) continue;
    dated.push({ date, hits });
    if (date.length >= 7) monthly++;
  }
  const months = dated.length ? new Set(dated.map(({ date }) => date.slice(0, 7))) : new Set<string>();
  const span = dated.length ? monthsBetween(dated.at(-1)!.date.slice(0, 7), dated[0]!.date.slice(0, 7)) : 0;
  const unit = dated.length && monthly >= dated.length / 2 && span < MAX_MONTHS && months.size > 1 ? "month" : "year";
  const key = (date: string) => (unit === "month" ? date.slice(0, 7) : date.slice(0, 4));
  const counted = unit === "month" ? dated.filter(({ date }) => date.length >= 7) : dated;
  const periods = counted.length ? periodRange(key(counted.at(-1)!.date), key(counted[0]!.date), unit) : [];
  const shown = unit === "year" ? periods.slice(-MAX_YEARS) : periods;
  const index = new Map(shown.map((period, i) => [period, i]));
  const series = topics.map((topic) => ({ label: topic.label, counts: shown.map(() => 0), total: 0 }));
  for (const { date, hits } of counted) {
    const at = index.get(key(date));
    if (at === undefined) continue;
    for (const i of hits) {
      series[i]!.counts[at]!++;
      series[i]!.total++;
    }
  }
  const current = new Date(now).toISOString().slice(0, unit === "month" ? 7 : 4);
  return { unit, periods: shown, series, partial: shown.at(-1) === current };
}

function monthsBetween(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7) || 1) - Number(from.slice(5, 7) || 1);
}

/** Every period from `from` to `to` ("2023-11" … "2024-02", or "2019" … "2024"). */
function periodRange(from: string, to: string, unit: "month" | "year"): string[] {
  const periods: string[] = [];
  if (unit === "year") {
    for (let year = Number(from); year <= Number(to); year++) periods.push(String(year));
    return periods;
  }
  for (let year = Number(from.slice(0, 4)), month = Number(from.slice(5, 7)); `${year}-${String(month).padStart(2, "0")}` <= to; month === 12 ? ((month = 1), year++) : month++) {
    periods.push(`${year}-${String(month).padStart(2, "0")}`);
  }
  return periods;
}

/**
 * One line on how a topic changed: its latest complete period against the one two before it
 * ("diffusion: 3.1× more papers in 2024 than in 2022"), or its total when there is nothing to compare. A
 * period still running is not compared: half a month would always look like a fall.
 */
export function describeChange(trend: TopicTrend, seriesIndex: number, formatPeriod: (period: string) => string): string {
  const { label, counts, total } = trend.series[seriesIndex]!;
  const last = counts.length - 1 - (trend.partial && counts.length > 1 ? 1 : 0);
  const earlier = last - 2;
  if (total === 0) return `${label}: no dated papers`;
  if (earlier < 0) {
    const periods = trend.periods.map(formatPeriod);
    const span = periods.length > 2 ? `from ${periods[0]} to ${periods.at(-1)}` : `in ${periods.join(" and ")}`;
    return `${label}: ${total.toLocaleString("en")} paper${total === 1 ? "" : "s"} ${span}${trend.partial ? " (so far)" : ""}`;
  }
  const [now, then] = [counts[last]!, counts[earlier]!];
  const [nowLabel, thenLabel] = [formatPeriod(trend.periods[last]!), formatPeriod(trend.periods[earlier]!)];
  if (then === 0) return `${label}: ${now.toLocaleString("en")} paper${now === 1 ? "" : "s"} in ${nowLabel}, none in ${thenLabel}`;
  const ratio = now / then;
  if (ratio >= 1.1) return `${label}: ${formatRatio(ratio)} more papers in ${nowLabel} than in ${thenLabel} (${now.toLocaleString("en")} vs ${then.toLocaleString("en")})`;
  if (ratio <= 0.9) return `${label}: fewer papers in ${nowLabel} than in ${thenLabel}, ${now.toLocaleString("en")} vs ${then.toLocaleString("en")} (−${Math.round((1 - ratio) * 100)}%)`;
  return `${label}: about as many papers in ${nowLabel} as in ${thenLabel} (${now.toLocaleString("en")} vs ${then.toLocaleString("en")})`;
}

const formatRatio = (ratio: number) => `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1).replace(/\.0$/, "")}×`;
