import type { Paper } from "../corpus/paper.ts";
import { analyzeWord } from "../search/text/analyzer.ts";
import { tokenize } from "../text/words.ts";
import { sentences } from "../text/sentences.ts";
import { topicTerms } from "../search/query/topics.ts";

/**
 * The offline answer: the sentences of the sources' abstracts that best answer the question, each cited.
 * A sentence scores the informativeness (idf) of the question's words it contains, a little less for a
 * long sentence and for a lower-ranked source; at most two come from one source, and they are read in the
 * order of the sources and, within one, of the abstract, so the answer reads as the papers say it.
 */

export interface Cited {
  /** 1-based number of the source in the answer's list. */
  source: number;
  text: string;
}

/** How many sentences an extractive answer has at most, and from one source. */
const MAX_SENTENCES = 5;
const MAX_PER_SOURCE = 2;
/** A sentence must score at least this share of the best one to be in the answer. */
const MIN_SHARE_OF_BEST = 0.35;

/** The question's index terms (as topics read them: stemmed, stop words out, each once), each with its weight. */
function questionTerms(question: string, informativeness: (term: string) => number): Map<string, number> {
  return new Map(topicTerms(question).map((term) => [term, informativeness(term)]));
}

/**
 * The answer's sentences, or none when no sentence shares at least two of the question's words (one when
 * the question has only one): then the corpus does not answer it.
 */
export function extractAnswer(question: string, sources: readonly Paper[], informativeness: (term: string) => number): Cited[] {
  const wanted = questionTerms(question, informativeness);
  const needed = Math.min(2, wanted.size);
  if (needed === 0) return [];
  const candidates = sources.flatMap((paper, rank) =>
    sentences(paper.abstract).flatMap((sentence) => {
      const terms = new Set(tokenize(sentence.text).map(analyzeWord));
      const matched = [...wanted].filter(([term]) => terms.has(term));
      if (matched.length < needed) return [];
      const weight = matched.reduce((sum, [, value]) => sum + value, 0);
      const length = sentence.text.split(" ").length;
      const score = (weight / (1 + Math.max(0, length - 30) / 30)) * (1 - 0.08 * rank);
      return [{ rank, index: sentence.index, text: sentence.text, score }];
    }),
  );
  candidates.sort((a, b) => b.score - a.score || a.rank - b.rank || a.index - b.index);
  // Sentences much weaker than the best would dilute the answer rather than add to it.
  const floor = (candidates[0]?.score ?? 0) * MIN_SHARE_OF_BEST;
  const perSource = new Map<number, number>();
  const chosen = candidates.filter((candidate) => {
    if (candidate.score < floor) return false;
    const taken = perSource.get(candidate.rank) ?? 0;
    if (taken >= MAX_PER_SOURCE) return false;
    perSource.set(candidate.rank, taken + 1);
    return true;
  });
  return chosen
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((candidate) => ({ source: candidate.rank + 1, text: candidate.text }));
}
