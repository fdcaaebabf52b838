import type { Paper } from "../corpus/paper.ts";
import type { SearchEngine } from "../search/engine.ts";
import { parseTopics, topicTerms } from "../search/query/topics.ts";

export interface WatchHit {
  watchId: number;
  paperId: string;
  /** The phrase of the watch the paper matched, as the user can read it: "diffusion models". */
  matched: string;
}

/**
 * Which new papers each watch wants, by the same rule as topics everywhere (src/search/query/topics.ts):
 * a paper matches a watch when it has every word of one of its phrases and not every word of an excluded
 * one. Each paper's terms are read once, so a thousand watches over a day's papers cost set lookups.
 */
export function matchWatches(engine: SearchEngine, watches: ReadonlyArray<{ id: number; query: string }>, papers: readonly Paper[]): WatchHit[] {
  const compiled = watches.map((watch) => {
    const topics = parseTopics(watch.query);
    return {
      id: watch.id,
      include: topics.include.map((words) => ({ words: words.join(" "), terms: topicTerms(words.join(" ")) })).filter((phrase) => phrase.terms.length > 0),
      exclude: topics.exclude.map((words) => topicTerms(words)).filter((terms) => terms.length > 0),
    };
  });
  const hits: WatchHit[] = [];
  for (const paper of papers) {
    const terms = engine.termsOf(paper);
    const has = (needed: readonly string[]) => needed.every((term) => terms.has(term));
    for (const watch of compiled) {
      const phrase = watch.include.find((candidate) => has(candidate.terms));
      if (phrase && !watch.exclude.some(has)) hits.push({ watchId: watch.id, paperId: paper.id, matched: phrase.words });
    }
  }
  return hits;
}
