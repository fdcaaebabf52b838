import type { Paper } from "../../corpus/paper.ts";
import type { SearchEngine } from "../engine.ts";

/**
 * The paper a user means: the one named exactly (id or full title), else the best match when it has every
 * word they typed. `exact` tells which, so a reply can say "closest match".
 */
export function findPaper(engine: SearchEngine, reference: string): { paper: Paper; exact: boolean } | undefined {
  const exact = engine.exact(reference);
  if (exact) return { paper: exact, exact: true };
  const result = engine.search(reference, { pageSize: 1 });
  const best = result.hits[0];
  return best && best.matchedWords === result.words.length ? { paper: best.paper, exact: false } : undefined;
}

/** A uniformly random paper, or a uniformly random one among those on `topic` (with every one of its words). */
export function randomPaper(engine: SearchEngine, topic: string | undefined, random: () => number): Paper | undefined {
  const pool = topic ? engine.onTopic([topic]) : engine.all();
  return pool[Math.floor(random() * pool.length)];
}
