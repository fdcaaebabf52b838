import { dayDate, dayOf } from "../../corpus/listing-order.ts";
import type { Paper } from "../../corpus/paper.ts";
import type { SearchEngine } from "../engine.ts";

export const TRENDING_PERIODS = ["today", "week", "month", "year"] as const;
export type TrendingPeriod = (typeof TRENDING_PERIODS)[number];
const DAYS: Record<TrendingPeriod, number> = { today: 1, week: 7, month: 30, year: 365 };
const DAY_MS = 86_400_000;

export interface Trending {
  /** The most upvoted first, ties broken by recency. */
  papers: Paper[];
  /** How many papers the period holds (on the topic). */
  total: number;
  /** The days covered, "2024-07-29" to "2024-08-04" ("--07-29" in a corpus without years); undefined when the corpus has no dated paper up to now. */
  from?: string;
  to?: string;
}

/**
 * The most upvoted papers of a period of listing dates (else publication dates), ending on the latest day
 * with papers that is not after `now`: today's papers once the day's listing is in, the newest day's
 * otherwise (an offline corpus, a quiet day). Papers without upvotes count as none.
 */
export function trending(engine: SearchEngine, options: { period: TrendingPeriod; now: number; limit: number; onTopic?: (paper: Paper) => boolean }): Trending {
  const today = Math.floor(options.now / DAY_MS);
  let end: number | undefined;
  const inPeriod: Paper[] = [];
  for (const { paper, date } of engine.newestFirstDated()) {
    const day = dayOf(date);
    if (day === undefined) break; // undated papers come last
    if (day > today) continue;
    end ??= day;
    if (day <= end - DAYS[options.period]) break;
    if (!options.onTopic || options.onTopic(paper)) inPeriod.push(paper);
  }
  // Stable: equal upvotes keep the newest-first order.
  const papers = inPeriod.sort((a, b) => (b.upvotes ?? -1) - (a.upvotes ?? -1)).slice(0, options.limit);
  return end === undefined ? { papers, total: 0 } : { papers, total: inPeriod.length, from: dayDate(end - DAYS[options.period] + 1), to: dayDate(end) };
}
