import type { Paper } from "../corpus/paper.ts";
import type { SearchEngine } from "../search/engine.ts";
import { parseTopics, topicTerms } from "../search/query/topics.ts";

export interface WatchHit {
  watchId: number;
  paperId: string;
  /** The phrase of the watch the paper matched, as the user can read it: "diffusion models". */
  matched: string;
}

/**
 * Which new papers each watch wants, by the same rule as topics everywhere (src/search/query/topics.ts):
 * a paper matches a watch when it has every word of one of its phrases and not every word of an excluded
 * one. Each paper's terms are read once, so a thousand watches over a day's papers cost set lookups.
 */
export function matchWatches(engine: SearchEngine, watches: ReadonlyArray<{ id: number; query: string }>, papers: readonly Paper[]): WatchHit[] {
  const compiled = watches.map((watch) => {
    const topics = parseTopics(watch.query);
    return {
      id: watch.id,
      include: topics.include.map((words) => ({ words: words.join(" "), terms: topicTerms(words.join(" ")) })).filter((phrase) => phrase.terms.length > 0),
      exclude: topics.exclude.map((words) => topicTerms(words)).filter((terms) => terms.length > 0),
    };
  });
  const hits: WatchHit[] = [];
  for (const paper of papers) {
    const terms = engine.termsOf(paper);
    const has = (needed: readonly string[]) => needed.every((term) => terms.has(term));
    for (const watch of compiled) {
      const phrase = watch.include.find((candidate) => has(candidate.terms));
      if (phrase && !watch.exclude.some(has)) hits.push({ watchId: watch.id, paperId: paper.id, matched: phrase.words });
    }
  }
  return hits;
}

/** A paper first seen this long after its date is a backfill (an old corpus file, a past range ingested): noted, never alerted. */
export const BACKFILL_AGE_MS = 7 * 86_400_000;

const DAY_MS = 86_400_000;
/** A listing or publication date with at least a month: "2024-08-05", "2024-08", "2024-08-05T10:00:00Z". */
const DATED = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d])/;

/**
 * The end of the last day a paper's date can mean, in epoch milliseconds: its listing date, else its
 * publication date (as src/corpus/listing-order.ts picks them), read at its latest (a month means its last
 * day, a day means its end in any timezone). Undefined when it has no such date: none, a year alone
 * ("2019"), a year-less listing ("--08-04"), or one that does not parse. Conservative: an undated paper is
 * never taken for a backfill.
 */
export function latestDateOf(paper: Pick<Paper, "listed" | "published">): number | undefined {
  const raw = paper.listed?.trim() || paper.published?.trim() || "";
  const match = DATED.exec(raw);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), match[3] === undefined ? undefined : Number(match[3])];
  if (month < 1 || month > 12 || (day !== undefined && (day < 1 || day > 31))) return undefined;
  // The day after (or the month after), plus the widest timezone offset (UTC-12 ends 12 hours after UTC).
  const end = day === undefined ? Date.UTC(year, month, 1) : Date.UTC(year, month - 1, day) + DAY_MS;
  return end + DAY_MS / 2;
}

/** Whether a paper first seen at `firstSeenAt` is a backfill: dated more than BACKFILL_AGE_MS before. */
export function isBackfill(paper: Pick<Paper, "listed" | "published">, firstSeenAt: number, maxAgeMs = BACKFILL_AGE_MS): boolean {
  const latest = latestDateOf(paper);
  return latest !== undefined && firstSeenAt - latest > maxAgeMs;
}
