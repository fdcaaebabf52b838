import { LEVEL_IMPACT, variantsFrequency, type Postings } from "../index/impact-index.ts";
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
 * A one-word query's ranking read straight from FlexSearch's lists, in about O(k): each term's papers are
 * filed by impact slot, best first, each slot in corpus order. Reading the (term, slot) lists from the
 * highest weight × slot impact down, and each paper the first time it comes, gives exactly the board's
 * order (a paper's score is the best of its terms; ties by corpus order). Valid only while the slots are in
 * corpus order (no paper replaced). With several terms (a word being typed and its completions) the counts
 * are upper bounds: a paper with two of the terms is counted twice.
 */
export function singleWordRanking(
  variants: ReadonlyArray<{ postings: Postings; weight: number }>,
  words: string[],
  terms: ReadonlySet<string>,
  exactDoc: number | undefined,
): Ranking {
  const lists = variants.flatMap(({ postings, weight }) =>
    postings.flatMap((docs, level) => (docs && (docs as number[]).length ? [{ docs: docs as number[], score: weight * LEVEL_IMPACT[level]! }] : [])),
  );
  lists.sort((a, b) => b.score - a.score);
  const frequency = variantsFrequency(variants);
  const exactScore = exactDoc === undefined ? undefined : lists.find((list) => list.docs.includes(exactDoc))?.score;
  return {
    words,
    keywords: true,
    terms,
    total: frequency + (exactDoc !== undefined && exactScore === undefined ? 1 : 0),
    fullMatches: frequency,
    top: (k) => {
      const ranked: RankedPaper[] = [];
      const seen = new Set<number>();
      if (exactDoc !== undefined && k > 0) {
        ranked.push({ doc: exactDoc, score: exactScore ?? 0, matchedWords: exactScore === undefined ? 0 : 1 });
        seen.add(exactDoc);
      }
      for (let i = 0; i < lists.length && ranked.length < k; ) {
        // Lists of equal score merge in corpus order, as the board breaks ties.
        let end = i + 1;
        while (end < lists.length && lists[end]!.score === lists[i]!.score) end++;
        const docs = end - i === 1 ? lists[i]!.docs : lists.slice(i, end).flatMap((list) => list.docs).sort((a, b) => a - b);
        for (let d = 0; d < docs.length && ranked.length < k; d++) {
          if (seen.has(docs[d]!)) continue;
          seen.add(docs[d]!);
          ranked.push({ doc: docs[d]!, score: lists[i]!.score, matchedWords: 1 });
        }
        i = end;
      }
      return ranked;
    },
  };
}
