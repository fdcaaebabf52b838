import type { IntermediateSearchResults } from "flexsearch";
import { LEVEL_IMPACT } from "./impact-index.ts";
import { topPapers, type Order } from "./ranking-order.ts";

/** A query's ranked papers, read lazily: a page needs the best few, not all of them in order. */
export interface Ranking {
  /** The query's words that count. */
  words: string[];
  /** Index terms the query matched, for highlighting. */
  terms: ReadonlySet<string>;
  /** Papers matching at least one word (and the paper named exactly). */
  total: number;
  /** Papers matching every word. */
  fullMatches: number;
  /** The best `k`, best first. */
  top(k: number): RankedPaper[];
}

export interface RankedPaper {
  doc: number;
  score: number;
  matchedWords: number;
}

/** A ranking from scores on the board (src/search/score-board.ts). */
export function boardRanking(order: Order, words: string[], terms: ReadonlySet<string>): Ranking {
  const { board } = order;
  return {
    words,
    terms,
    total: board.touchedCount,
    fullMatches: words.length === 0 ? board.touchedCount : board.completeCount,
    top: (k) => topPapers(order, k).map((doc) => ({ doc, score: board.score(doc), matchedWords: board.matched(doc) })),
  };
}

/**
 * A one-term query's ranking straight from FlexSearch's lists, in O(k): a term's papers are filed by impact
 * slot, best first, each slot in corpus order, which is exactly the ranking order when every score is the
 * same weight times the impact. Valid while the slots are in corpus order (no paper was replaced).
 */
export function singleTermRanking(
  postings: IntermediateSearchResults,
  weight: number,
  words: string[],
  terms: ReadonlySet<string>,
  exactDoc: number | undefined,
): Ranking {
  let frequency = 0;
  let exactLevel = -1;
  postings.forEach((docs, level) => {
    if (!docs) return;
    frequency += docs.length;
    if (exactDoc !== undefined && exactLevel === -1 && (docs as number[]).includes(exactDoc)) exactLevel = level;
  });
  const scored = (doc: number, level: number): RankedPaper => ({ doc, score: weight * LEVEL_IMPACT[level]!, matchedWords: 1 });
  return {
    words,
    terms,
    total: frequency + (exactDoc !== undefined && exactLevel === -1 ? 1 : 0),
    fullMatches: frequency,
    top: (k) => {
      const ranked: RankedPaper[] = [];
      if (exactDoc !== undefined && k > 0) ranked.push(exactLevel === -1 ? { doc: exactDoc, score: 0, matchedWords: 0 } : scored(exactDoc, exactLevel));
      for (let level = 0; level < postings.length && ranked.length < k; level++) {
        const docs = (postings[level] ?? []) as number[];
        for (let i = 0; i < docs.length && ranked.length < k; i++) if (docs[i] !== exactDoc) ranked.push(scored(docs[i]!, level));
      }
      return ranked;
    },
  };
}
