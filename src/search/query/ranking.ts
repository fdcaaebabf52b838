import { documentFrequency, LEVEL_IMPACT, type Postings } from "../index/impact-index.ts";
import type { Order, ScoreBoard } from "./score-board.ts";

/** A query's ranked papers, read lazily: a page needs the best few, not all of them in order. */
export interface Ranking {
  /** The query's words that count. */
  words: string[];
  /** Keywords (papers with every word first) rather than a natural-language request. */
  keywords: boolean;
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

/** A ranking from the scores on the board. */
export function boardRanking(board: ScoreBoard, order: Order, words: string[], terms: ReadonlySet<string>): Ranking {
  return {
    words,
    keywords: order.wordsFirst,
    terms,
    total: board.papersTouched,
    fullMatches: words.length === 0 ? board.papersTouched : board.papersComplete,
    top: (k) => board.top(k, order).map((doc) => ({ doc, score: board.score(doc), matchedWords: board.matched(doc) })),
  };
}

/**
 * A one-term query's ranking read straight from FlexSearch's lists, in O(k): a term's papers are filed by
 * impact slot, best first, each slot in corpus order, which is exactly the board's order when every score
 * is the same weight times the impact. Valid only while the slots are in corpus order (no paper replaced).
 */
export function singleTermRanking(postings: Postings, weight: number, words: string[], terms: ReadonlySet<string>, exactDoc: number | undefined): Ranking {
  let exactLevel = -1;
  if (exactDoc !== undefined) exactLevel = postings.findIndex((docs) => (docs as number[] | undefined)?.includes(exactDoc) ?? false);
  const frequency = documentFrequency(postings);
  const scored = (doc: number, level: number): RankedPaper => ({ doc, score: weight * LEVEL_IMPACT[level]!, matchedWords: 1 });
  return {
    words,
    keywords: true,
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
