import { documentFrequency, LEVEL_IMPACT, type ImpactIndex } from "../index/impact-index.ts";
import { idf } from "../index/bm25f.ts";
import { TopK } from "./top-k.ts";

/** The terms of a paper that say most about it: enough to find its neighbours, few enough to stay fast. */
const QUERY_TERMS = 25;
/** Terms in more than this share of papers say nothing about a paper's subject ("model", "result"). */
const MAX_SHARE = 0.1;

/**
 * "More like this": a paper's own terms, weighted by how much each counts in it (its impact) and how
 * rare it is in the corpus (idf), the strongest QUERY_TERMS run as one weighted query over the index.
 * A paper scores the sum, over the query terms it has, of query weight × its own impact × idf: papers that
 * share the source's distinctive vocabulary, where it matters to them too, come first.
 */
export function moreLikeThis(
  paperTerms: ReadonlyArray<{ term: string; impact: number }>,
  index: ImpactIndex,
  documents: number,
  options: { exclude: ReadonlySet<number>; limit: number },
): Array<{ doc: number; score: number }> {
  const weighted = paperTerms.flatMap(({ term, impact }) => {
    const postings = index.postings(term);
    const frequency = documentFrequency(postings);
    // A term only this paper has finds nothing; one most papers have finds everything.
    if (frequency < 2 || frequency > documents * MAX_SHARE) return [];
    const rarity = idf(frequency, documents);
    return [{ postings, weight: impact * rarity, rarity }];
  });
  weighted.sort((a, b) => b.weight - a.weight);
  const scores = new Float64Array(documents);
  const touched: number[] = [];
  for (const { postings, weight, rarity } of weighted.slice(0, QUERY_TERMS)) {
    postings.forEach((docs, level) => {
      const credit = weight * rarity * LEVEL_IMPACT[level]!;
      for (const doc of (docs as number[] | undefined) ?? []) {
        if (scores[doc] === 0) touched.push(doc);
        scores[doc]! += credit;
      }
    });
  }
  const top = new TopK(options.limit);
  for (const doc of touched) if (!options.exclude.has(doc)) top.offer(doc, scores[doc]!);
  return top.best().map((doc) => ({ doc, score: scores[doc]! }));
}
