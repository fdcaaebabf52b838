import { idf } from "../index/bm25f.ts";
import { documentFrequency, LEVEL_IMPACT, type ImpactIndex } from "../index/impact-index.ts";
import type { MatchKind, Vocabulary } from "../text/vocabulary.ts";
import { analyzeWord } from "../text/analyzer.ts";
import { KIND_WEIGHT, MAX_QUERY_WORDS, QUERY_SATURATION } from "../tuning.ts";
import type { ParsedQuery } from "./parse-query.ts";
import { boardRanking, singleTermRanking, type Ranking } from "./ranking.ts";
import type { ScoreBoard } from "./score-board.ts";

export interface RankContext {
  index: ImpactIndex;
  vocabulary: Vocabulary;
  board: ScoreBoard;
  documents: number;
  /** The title-only index: keyword queries lift papers with every word in the title. */
  titles?: ImpactIndex;
  /** Whether every slot of the index lists its papers in corpus order (see singleTermRanking). */
  inCorpusOrder: boolean;
}

/** A completion or correction never counts for more than the word typed: "graph" must not rank "grapheme" above "graph" because the longer word is rarer. */
function variantWeight(kind: MatchKind, variantIdf: number, wordIdf: number): number {
  return KIND_WEIGHT[kind] * Math.min(variantIdf, wordIdf);
}

/** BM25's query-term weight: a word said twice counts more, with diminishing returns. */
function queryTermWeight(count: number): number {
  return ((QUERY_SATURATION + 1) * count) / (QUERY_SATURATION + count);
}

/**
 * The words a query is ranked by, as indexes into its words in their order: all of them, or for a long
 * question its MAX_QUERY_WORDS most informative (repetition × rarity), not merely the first ones.
 */
function informativeWords(query: ParsedQuery, context: RankContext): number[] {
  const all = query.words.map((_, i) => i);
  if (all.length <= MAX_QUERY_WORDS) return all;
  const value = all.map((i) => queryTermWeight(query.counts[i]!) * idf(documentFrequency(context.index.postings(analyzeWord(query.words[i]!))), context.documents));
  return all
    .sort((a, b) => value[b]! - value[a]! || a - b)
    .slice(0, MAX_QUERY_WORDS)
    .sort((a, b) => a - b);
}

/**
 * Ranks the papers matching a query: each word is looked up as its variants (src/search/text/vocabulary.ts),
 * and a paper gets, per word, the best of weight × impact over the variants it contains (bm25f.ts).
 */
export function rankQuery(query: ParsedQuery, exactDoc: number | undefined, context: RankContext): Ranking {
  const { index, vocabulary, board, documents } = context;
  const chosen = informativeWords(query, context);
  const words = chosen.map((i) => query.words[i]!);
  const lookups = chosen.map((i) => {
    const word = query.words[i]!;
    const variants = vocabulary.variants(word, query.lastIsPrefix && i === query.words.length - 1).map((variant) => {
      const postings = index.postings(variant.term);
      return { ...variant, postings, idf: idf(documentFrequency(postings), documents) };
    });
    const wordIdf = variants.find((variant) => variant.kind === "exact")?.idf ?? idf(0, documents);
    const emphasis = queryTermWeight(query.counts[i]!);
    return variants.map((variant) => ({ ...variant, weight: emphasis * variantWeight(variant.kind, variant.idf, wordIdf) }));
  });
  const terms = new Set(lookups.flatMap((variants) => variants.map((variant) => variant.term)));

  const only = lookups.length === 1 && lookups[0]!.length === 1 ? lookups[0]![0]! : undefined;
  if (only && context.inCorpusOrder) return singleTermRanking(only.postings, only.weight, words, terms, exactDoc);

  board.reset(documents, words.length);
  for (const variants of lookups) {
    if (variants.length === 1) {
      board.addWord(variants[0]!.postings, variants[0]!.weight);
      continue;
    }
    for (const variant of variants) board.offer(variant.postings, variant.weight);
    board.endWord();
  }
  // Someone looking for a paper by a few of its title's words: the titles with all of them first.
  if (query.keywords && context.titles && lookups.length >= 2) board.liftTitleMatches(titleMatches(context.titles, lookups, documents));
  if (exactDoc !== undefined) board.touch(exactDoc);
  return boardRanking(board, { wordsFirst: query.keywords, exactDoc }, words, terms);
}

/** Papers whose title has every word (as any of its variants), with their title-only score. */
function titleMatches(titles: ImpactIndex, lookups: ReadonlyArray<ReadonlyArray<{ term: string; weight: number }>>, documents: number): Map<number, number> {
  const words = new Uint8Array(documents);
  const scores = new Map<number, number>();
  lookups.forEach((variants, w) => {
    const best = new Map<number, number>();
    for (const variant of variants) {
      titles.postings(variant.term).forEach((docs, level) => {
        for (const doc of (docs as number[] | undefined) ?? []) if (words[doc] === w) best.set(doc, Math.max(best.get(doc) ?? 0, variant.weight * LEVEL_IMPACT[level]!));
      });
    }
    for (const [doc, score] of best) {
      words[doc] = w + 1;
      scores.set(doc, (scores.get(doc) ?? 0) + score);
    }
  });
  for (const doc of scores.keys()) if (words[doc] !== lookups.length) scores.delete(doc);
  return scores;
}
