/**
 * Every knob of the ranking, in one place, with the reason for its value. The formula they feed is in
 * src/search/index/bm25f.ts; how it was measured is in docs/search.md.
 *
 * BM25F parameters were chosen on CACM (bench/cacm.ts): the neighbouring settings (title 2-4, authors 1-3,
 * abstract b 0.3-0.75, k1 0.9-1.5) all score 0.70-0.76 MRR@10, a plateau rather than a spike fitted to
 * 52 queries.
 */

/** The fields a paper is indexed by, in the order BM25F numbers them. */
export const FIELDS = ["title", "authors", "abstract", "keywords"] as const;
export type Field = (typeof FIELDS)[number];

/**
 * A title mention counts like three abstract mentions, an author name like two. Keywords (the source's
 * own, or Hugging Face's AI keywords) count like the abstract: they repeat what it says, and only some
 * papers have them, so weighing them more would favour those papers.
 */
export const FIELD_WEIGHT: Record<Field, number> = { title: 3, authors: 2, abstract: 1, keywords: 1 };

/**
 * BM25's b per field: how much a field's length discounts its words (0: not at all, 1: fully). Author
 * lists are long for reasons that say nothing about a name's weight, so they are discounted least.
 */
export const LENGTH_NORMALIZATION: Record<Field, number> = { title: 0.5, authors: 0.3, abstract: 0.5, keywords: 0.3 };

/** BM25's k1: how fast repeated mentions stop adding weight. */
export const SATURATION = 1.2;

/** Average field lengths (in index terms) assumed before any paper is seen. */
export const DEFAULT_FIELD_LENGTHS: Record<Field, number> = { title: 8, authors: 6, abstract: 120, keywords: 4 };

/** Field lengths are averaged over an even sample of this many papers: as good as all of them, and faster. */
export const LENGTH_SAMPLE = 2000;

/**
 * Impacts are stored rounded to this many levels (FlexSearch's "resolution" slots): 32 keeps the rounding
 * error under 1/64 of a term's weight, below what changes a ranking.
 */
export const IMPACT_LEVELS = 32;

/** An exact word outweighs a completion ("distil" -> "distillation"), which outweighs a typo correction. */
export const KIND_WEIGHT = { exact: 1, prefix: 0.7, typo: 0.6 } as const;

/**
 * Up to this many space-separated parts with a content word, a query is keywords: papers matching every
 * word come first. A longer one is a natural-language request, ranked by score alone, because a relevant
 * paper may lack any one of its words.
 */
export const KEYWORD_PARTS = 4;

/**
 * At most this many distinct words of a query count, the most informative (src/search/query/rank-query.ts):
 * enough for a paragraph-long question, and a bound on its cost.
 */
export const MAX_QUERY_WORDS = 32;

/**
 * A keyword query lifts the papers with every word in their title (someone looking for a paper by a few
 * of its title's words), unless even its rarest word is in more than this share of titles: such words
 * name a field, not a paper, and lifting a tenth of the corpus would cost much and order nothing.
 */
export const TITLE_LIFT_MAX_SHARE = 0.02;
/** ... but a small corpus always lifts: a hundred titles are quickly ordered. */
export const TITLE_LIFT_MIN_PAPERS = 100;

/** BM25's k3: how fast a word repeated in a query stops counting more (8: a word said twice counts 1.8 times). */
export const QUERY_SATURATION = 8;

/** Hybrid search (with an embeddings endpoint): how many papers of each ranking are fused. */
export const FUSION_DEPTH = 100;
/**
 * How much meaning counts against words when a question is ranked both ways (EMBEDDINGS_WEIGHT overrides
 * it). 0.3 because a weak model must not make search worse: with Universal Sentence Encoder lite (the one
 * model that runs offline here) 0.3 left the seed questions' top 3 within one question of words alone and
 * brought every paper into the top 10, where 1.0 dropped the top 1 from 90% to 46% (docs/search.md).
 */
export const MEANING_WEIGHT = 0.3;

/** Prefix completion needs this many letters: "de" would stand for half the vocabulary. */
export const MIN_PREFIX_LENGTH = 3;

/** The most frequent completions carry most of a prefix's papers; each one more costs autocomplete time. */
export const MAX_PREFIX_VARIANTS = 8;

/** Typo correction needs this many letters: short words are one edit away from too many others. */
export const MIN_TYPO_LENGTH = 4;

/** Longer "words" are pasted garbage, not typos: correcting them would cost ~72 look-ups per letter. */
export const MAX_TYPO_LENGTH = 30;
