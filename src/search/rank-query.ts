import { idf } from "./bm25f.ts";
import type { ImpactIndex } from "./impact-index.ts";
import type { ParsedQuery } from "./query.ts";
import { boardRanking, singleTermRanking, type Ranking } from "./ranking.ts";
import type { ScoreBoard } from "./score-board.ts";
import type { MatchKind, Vocabulary } from "./vocabulary.ts";

/** An exact word outweighs a completion, which outweighs a correction. */
const KIND_WEIGHT: Record<MatchKind, number> = { exact: 1, prefix: 0.7, typo: 0.6 };

export interface RankContext {
  index: ImpactIndex;
  vocabulary: Vocabulary;
  board: ScoreBoard;
  documents: number;
  /** Whether every slot of the index lists its papers in corpus order (see singleTermRanking). */
  inCorpusOrder: boolean;
}

/**
 * Ranks the papers matching a query: each word is looked up as its variants (src/search/vocabulary.ts),
 * and a paper gets, per word, the best of idf x kind weight x impact over the variants it contains.
 */
export function rankQuery(query: ParsedQuery, exactDoc: number | undefined, context: RankContext): Ranking {
  const { index, vocabulary, board, documents } = context;
  const { words } = query;
  const lookups = words.map((word, i) =>
    vocabulary.variants(word, query.lastIsPrefix && i === words.length - 1).map((variant) => {
      const postings = index.postings(variant.term);
      return { ...variant, postings, idf: idf(frequencyOf(postings), documents) };
    }),
  );
  const terms = new Set(lookups.flatMap((variants) => variants.map((variant) => variant.term)));
  // A completion or correction never counts for more than the word typed: "graph" must not rank
  // "grapheme" above "graph" because the longer word is rarer.
  const weights = lookups.map((variants) => {
    const wordIdf = variants.find((variant) => variant.kind === "exact")?.idf ?? idf(0, documents);
    return variants.map((variant) => KIND_WEIGHT[variant.kind] * Math.min(variant.idf, wordIdf));
  });

  const only = lookups.length === 1 && lookups[0]!.length === 1 ? lookups[0]![0]! : undefined;
  if (only && context.inCorpusOrder) return singleTermRanking(only.postings, weights[0]![0]!, words, terms, exactDoc);

  board.reset(documents, words.length);
  lookups.forEach((variants, w) => {
    if (variants.length === 1) return board.addWord(variants[0]!.postings, weights[w]![0]!);
    variants.forEach((variant, v) => board.offer(variant.postings, weights[w]![v]!));
    board.endWord();
  });
  if (exactDoc !== undefined) board.touch(exactDoc);
  return boardRanking({ board, wordsFirst: query.keywords, exactDoc }, words, terms);
}

function frequencyOf(postings: ReturnType<ImpactIndex["postings"]>): number {
  let count = 0;
  for (const docs of postings) if (docs) count += docs.length;
  return count;
}
