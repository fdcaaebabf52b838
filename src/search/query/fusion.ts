import { FUSION_DEPTH, RRF_K } from "../tuning.ts";
import type { RankedPaper, Ranking } from "./ranking.ts";

/**
 * A question's ranking by words fused with a ranking by meaning (src/embeddings/), by reciprocal rank
 * fusion (Cormack, Clarke & Büttcher, 2009): each paper scores 1 / (RRF_K + rank) in each list it is in,
 * and the sums decide. It needs no calibration between the two kinds of score, which are not comparable.
 * Papers found by meaning alone come with no matched words. Beyond the fused depth, the word ranking goes on.
 */
export function fuseRankings(lexical: Ranking, byMeaning: readonly number[]): Ranking {
  const lexicalTop = lexical.top(FUSION_DEPTH);
  const fused = new Map<number, { ranked: RankedPaper; score: number }>();
  lexicalTop.forEach((ranked, rank) => fused.set(ranked.doc, { ranked, score: 1 / (RRF_K + rank + 1) }));
  let onlyByMeaning = 0;
  byMeaning.slice(0, FUSION_DEPTH).forEach((doc, rank) => {
    let entry = fused.get(doc);
    if (!entry) {
      entry = { ranked: { doc, score: 0, matchedWords: 0 }, score: 0 };
      fused.set(doc, entry);
      onlyByMeaning++;
    }
    entry.score += 1 / (RRF_K + rank + 1);
  });
  // The map lists the word ranking first: the stable sort keeps its order among ties.
  const order = [...fused.values()].sort((a, b) => b.score - a.score).map((entry) => entry.ranked);
  return {
    ...lexical,
    total: lexical.total + onlyByMeaning,
    top: (k) => (k <= order.length ? order.slice(0, k) : [...order, ...lexical.top(k).filter((ranked) => !fused.has(ranked.doc))].slice(0, k)),
  };
}
