import { readFileSync } from "node:fs";
import { join } from "node:path";
import { makePaper } from "../src/corpus/make-paper.ts";
import type { Paper } from "../src/corpus/paper.ts";

/**
 * The CACM test collection (../shared/corpus/cacm, see its SOURCE.md): 3,204 Communications of the ACM
 * articles, 64 natural-language queries, human relevance judgments for 52 of them. Ranking quality as
 * MRR@10 (1 / rank of the first relevant paper, 0 beyond 10) and nDCG@10 (binary relevance), averaged
 * over the judged queries.
 */

export interface Cacm {
  papers: Paper[];
  queries: Array<{ id: string; text: string; relevant: Set<string> }>;
}

export function loadCacm(dir: string): Cacm {
  const lines = (file: string) => readFileSync(join(dir, file), "utf8").split("\n").filter((line) => line.trim());
  const papers = lines("docs.jsonl").map((line) => {
    const doc = JSON.parse(line) as { id: string; title: string; abstract: string; authors: string[]; published?: string };
    return makePaper({ id: doc.id, title: doc.title, abstract: doc.abstract, authors: doc.authors, published: doc.published, source: "cacm" });
  });
  const relevant = new Map<string, Set<string>>();
  for (const line of lines("qrels.tsv").slice(1)) {
    const [query, doc] = line.split("\t");
    if (!relevant.has(query!)) relevant.set(query!, new Set());
    relevant.get(query!)!.add(doc!);
  }
  const queries = lines("queries.jsonl")
    .map((line) => JSON.parse(line) as { id: string; text: string })
    .filter((query) => relevant.has(query.id))
    .map((query) => ({ ...query, relevant: relevant.get(query.id)! }));
  return { papers, queries };
}

/** MRR@10 and nDCG@10 of `search` (a query to ranked paper ids) over the judged queries. */
export function evaluate(cacm: Cacm, search: (query: string) => string[]): { mrr: number; ndcg: number } {
  let mrr = 0;
  let ndcg = 0;
  for (const query of cacm.queries) {
    const ranked = search(query.text).slice(0, 10);
    const first = ranked.findIndex((id) => query.relevant.has(id));
    mrr += first === -1 ? 0 : 1 / (first + 1);
    const dcg = ranked.reduce((sum, id, i) => sum + (query.relevant.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
    let ideal = 0;
    for (let i = 0; i < Math.min(10, query.relevant.size); i++) ideal += 1 / Math.log2(i + 2);
    ndcg += dcg / ideal;
  }
  return { mrr: mrr / cacm.queries.length, ndcg: ndcg / cacm.queries.length };
}
