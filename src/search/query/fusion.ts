import { FUSION_DEPTH } from "../tuning.ts";
import type { RankedPaper, Ranking } from "./ranking.ts";

/**
 * A question's ranking by words fused with a ranking by meaning (src/embeddings/), by a convex combination
 * of normalized scores (Bruch, Gai & Ingber, 2023, found it ahead of reciprocal rank fusion): each paper's
 * score by words, divided by the best one, plus `meaningWeight` times its similarity, scaled from the
 * lowest to the highest among the papers found by meaning; a paper found only one way gets nothing for
 * the other. Strong evidence by words stays on top unless the meaning agrees with another paper much
 * better, and a paper that shares no word with the question can still come up. Papers found by meaning
 * alone come with no matched words. Beyond the fused depth, the word ranking goes on.
 */
export function fuseRankings(lexical: Ranking, byMeaning: ReadonlyArray<{ doc: number; score: number }>, meaningWeight: number): Ranking {
  const lexicalTop = lexical.top(FUSION_DEPTH);
  const meaning = byMeaning.slice(0, FUSION_DEPTH);
  const bestWords = Math.max(...lexicalTop.map((ranked) => ranked.score), 0) || 1;
  const highest = Math.max(...meaning.map((hit) => hit.score));
  const lowest = Math.min(...meaning.map((hit) => hit.score));
  const spread = highest - lowest || 1;
  const fused = new Map<number, { ranked: RankedPaper; score: number }>();
  for (const ranked of lexicalTop) fused.set(ranked.doc, { ranked, score: ranked.score / bestWords });
  let onlyByMeaning = 0;
  for (const { doc, score } of meaning) {
    let entry = fused.get(doc);
    if (!entry) {
      entry = { ranked: { doc, score: 0, matchedWords: 0 }, score: 0 };
      fused.set(doc, entry);
      onlyByMeaning++;
    }
    entry.score += (meaningWeight * (score - lowest)) / spread;
  }
  // The map lists the word ranking first: the stable sort keeps its order among ties.
  const order = [...fused.values()].sort((a, b) => b.score - a.score).map((entry) => entry.ranked);
  return {
    ...lexical,
    total: lexical.total + onlyByMeaning,
    top: (k) => (k <= order.length ? order.slice(0, k) : [...order, ...lexical.top(k).filter((ranked) => !fused.has(ranked.doc))].slice(0, k)),
  };
}
