import type { Paper } from "../../corpus/paper.ts";
import { tokenize } from "../../text/words.ts";
import type { SearchEngine } from "../engine.ts";
import { documentFrequency, type ImpactIndex } from "../index/impact-index.ts";
import { analyzeWord } from "../text/analyzer.ts";

/**
 * What a topic is, for every feature that follows one (/random, /trending, /trend, digests, watches): papers that contain
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

export interface Topics {
  /** Comma-separated phrases, each a list of folded words that must all appear; a paper matches any phrase. */
  include: string[][];
  /**
   * Excluded words ("-survey" -> "survey"): a paper containing one does not match. A hyphenated exclude
   * ("-self-supervised") is kept as one entry of space-separated words ("self supervised") and excludes
   * only papers that contain all of them.
   */
  exclude: string[];
}

/**
 * "diffusion, reinforcement learning -survey" -> include [["diffusion"], ["reinforcement", "learning"]],
 * exclude ["survey"]. Words are folded like the search index (case and accents ignored); "-" marks an
 * exclude only at the start of a word, so "self-supervised" is the phrase ["self", "supervised"].
 */
export function parseTopics(text: string | undefined): Topics {
  const include: string[][] = [];
  const exclude: string[] = [];
  const seenPhrases = new Set<string>();
  for (const phrase of (text ?? "").split(/[,;\n]/)) {
    const words: string[] = [];
    for (const chunk of phrase.split(/\s+/)) {
      if (/^[-\u2212\u2013]/.test(chunk)) {
        const excluded = tokenize(chunk).join(" ");
        if (excluded && !exclude.includes(excluded)) exclude.push(excluded);
      } else {
        words.push(...tokenize(chunk));
      }
    }
    const unique = [...new Set(words)];
    const key = [...unique].sort().join(" ");
    if (unique.length > 0 && !seenPhrases.has(key)) {
      seenPhrases.add(key);
      include.push(unique);
    }
  }
  return { include, exclude };
}

/** The topics as the user could type them again: "diffusion, reinforcement learning, -survey"; "" when none. */
export function formatTopics(topics: Topics): string {
  return [...topics.include.map((words) => words.join(" ")), ...topics.exclude.map((words) => `-${words.replace(/ /g, "-")}`)].join(", ");
}

/** Whether a paper is on a subscription's topics, through the search index (src/search/query/topics.ts). */
export function topicTest(engine: SearchEngine, topics: Topics): (paper: Paper) => boolean {
  if (topics.include.length === 0 && topics.exclude.length === 0) return () => true;
  return engine.topicTest(
    topics.include.map((words) => words.join(" ")),
    topics.exclude,
  );
}
