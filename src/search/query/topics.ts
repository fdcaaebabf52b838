import { tokenize } from "../../text/words.ts";
import { documentFrequency, type ImpactIndex } from "../index/impact-index.ts";
import { analyzeWord } from "../text/analyzer.ts";

/**
 * What a topic is, for every feature that follows one (/random's topic, digests): papers that contain
 * every word of a phrase, as the index has it (stemmed, without stop words: "diffusion models" finds
 * "Diffusion Model"), in any field. Unlike a search, no prefix or typo stands in for a word: a topic is
 * followed for a long time, and what it matches must not change because new words entered the corpus.
 */

/** The index terms a phrase needs; empty when it has no word that is searched (only stop words). */
export function topicTerms(phrase: string): string[] {
  return [...new Set(tokenize(phrase).map(analyzeWord).filter(Boolean))];
}

/** Papers having every one of `terms` (at most 255), in no particular order; none for no terms. */
export function papersWithAll(index: ImpactIndex, terms: readonly string[], documents: number): number[] {
  if (terms.length === 0 || terms.length > 255) return [];
  const postings = terms.map((term) => index.postings(term)).sort((a, b) => documentFrequency(a) - documentFrequency(b));
  // Count, per paper, the terms it has: those counting all of them match. Starting from the rarest term's
  // papers, a paper that missed one term is never counted again.
  const seen = new Uint8Array(documents);
  for (const docs of postings[0]!) if (docs) for (const doc of docs as number[]) seen[doc] = 1;
  for (let t = 1; t < postings.length; t++) for (const docs of postings[t]!) if (docs) for (const doc of docs as number[]) if (seen[doc] === t) seen[doc] = t + 1;
  const found: number[] = [];
  for (const docs of postings[0]!) if (docs) for (const doc of docs as number[]) if (seen[doc] === postings.length) found.push(doc);
  return found;
}
