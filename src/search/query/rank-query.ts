import { idf } from "../index/bm25f.ts";
import { documentFrequency, type ImpactIndex } from "../index/impact-index.ts";
import type { MatchKind, Vocabulary } from "../text/vocabulary.ts";
import { KIND_WEIGHT } from "../tuning.ts";
import type { ParsedQuery } from "./parse-query.ts";
import { boardRanking, singleTermRanking, type Ranking } from "./ranking.ts";
import type { ScoreBoard } from "./score-board.ts";

export interface RankContext {
  index: ImpactIndex;
  vocabulary: Vocabulary;
  board: ScoreBoard;
  documents: number;
  /** Whether every slot of the index lists its papers in corpus order (see singleTermRanking). */
  inCorpusOrder: boolean;
}

/** A completion or correction never counts for more than the word typed: "graph" must not rank "grapheme" above "graph" because the longer word is rarer. */
function variantWeight(kind: MatchKind, variantIdf: number, wordIdf: number): number {
  return KIND_WEIGHT[kind] * Math.min(variantIdf, wordIdf);
}

/**
 * Ranks the papers matching a query: each word is looked up as its variants (src/search/text/vocabulary.ts),
 * and a paper gets, per word, the best of weight × impact over the variants it contains (bm25f.ts).
 */
export function rankQuery(query: ParsedQuery, exactDoc: number | undefined, context: RankContext): Ranking {
  const { index, vocabulary, board, documents } = context;
  const { words } = query;
  const lookups = words.map((word, i) => {
    const variants = vocabulary.variants(word, query.lastIsPrefix && i === words.length - 1).map((variant) => {
      const postings = index.postings(variant.term);
      return { ...variant, postings, idf: idf(documentFrequency(postings), documents) };
    });
    const wordIdf = variants.find((variant) => variant.kind === "exact")?.idf ?? idf(0, documents);
    return variants.map((variant) => ({ ...variant, weight: variantWeight(variant.kind, variant.idf, wordIdf) }));
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
  if (exactDoc !== undefined) board.touch(exactDoc);
  return boardRanking(board, { wordsFirst: query.keywords, exactDoc }, words, terms);
}
