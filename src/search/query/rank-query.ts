import { idf } from "../index/bm25f.ts";
import { documentFrequency, variantsFrequency, type ImpactIndex, type Postings } from "../index/impact-index.ts";
import type { MatchKind, Vocabulary } from "../text/vocabulary.ts";
import { analyzeWord } from "../text/analyzer.ts";
import { KIND_WEIGHT, MAX_QUERY_WORDS, QUERY_SATURATION, TITLE_LIFT_MAX_SHARE, TITLE_LIFT_MIN_PAPERS } from "../tuning.ts";
import type { ParsedQuery } from "./parse-query.ts";
import { boardRanking, singleWordRanking, type Ranking } from "./ranking.ts";
import type { ScoreBoard } from "./score-board.ts";

export interface RankContext {
  index: ImpactIndex;
  vocabulary: Vocabulary;
  board: ScoreBoard;
  documents: number;
  /** The title-only index: keyword queries lift papers with every word in the title. */
  titles?: ImpactIndex;
  /** Whether every slot of the index lists its papers in corpus order (see singleWordRanking). */
  inCorpusOrder: boolean;
}

/** A completion or correction never counts for more than the word typed: "graph" must not rank "grapheme" above "graph" because the longer word is rarer. */
function variantWeight(kind: MatchKind, variantIdf: number, wordIdf: number): number {
  return KIND_WEIGHT[kind] * Math.min(variantIdf, wordIdf);
}

/** How many papers a word's variants list, all together. */

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

  // One word: its papers can be read straight from FlexSearch's slots, best first (see singleWordRanking).
  // A search needs exact counts, so only a word with one term takes this way; autocomplete, which shows
  // no counts, takes it for a word being typed with all its completions too.
  const one = lookups.length === 1 ? lookups[0]! : undefined;
  if (one && context.inCorpusOrder && (one.length === 1 || query.lastIsPrefix)) return singleWordRanking(one, words, terms, exactDoc);

  board.reset(documents, words.length);
  // Autocomplete shows papers with every word typed and no counts: from the rarest word on, only the
  // papers that have all the words so far are looked at, however common the others are.
  const conjunctive = query.lastIsPrefix;
  const order = conjunctive ? [...lookups].sort((a, b) => variantsFrequency(a) - variantsFrequency(b)) : lookups;
  order.forEach((variants, w) => {
    const only = conjunctive && w > 0 ? w : undefined;
    if (variants.length === 1) return board.addWord(variants[0]!.postings, variants[0]!.weight, only);
    for (const variant of variants) board.offer(variant.postings, variant.weight, only);
    board.endWord();
  });
  // Someone looking for a paper by a few of its title's words: the titles with all of them first.
  if (query.keywords && context.titles && lookups.length >= 2) {
    const titles = context.titles;
    const words = lookups.map((variants) => variants.map((variant) => ({ weight: variant.weight, postings: titles.postings(variant.term) })));
    words.sort((a, b) => variantsFrequency(a) - variantsFrequency(b));
    // Words that are all in a large share of titles name a field, not a paper: nothing to lift.
    if (variantsFrequency(words[0]!) <= Math.max(TITLE_LIFT_MIN_PAPERS, documents * TITLE_LIFT_MAX_SHARE)) board.liftTitleMatches(words);
  }
  if (exactDoc !== undefined) board.touch(exactDoc);
  return boardRanking(board, { wordsFirst: query.keywords, exactDoc }, words, terms);
}
