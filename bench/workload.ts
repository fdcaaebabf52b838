import type { Paper } from "../src/corpus/paper.ts";
import { STOPWORDS } from "../src/search/text/stopwords.ts";
import { tokenize } from "../src/text/words.ts";
import { seededRandom } from "./stats.ts";

/**
 * The bench's queries, derived from the corpus with a fixed seed so that every engine and every run gets
 * the same ones.
 */

/** 1-3 consecutive words of a random paper's title, as a user would type them ("Graph Neural", "Sim-to-Real"). */
export function titleQueries(papers: ReadonlyArray<Pick<Paper, "title">>, count: number, seed = 42): string[] {
  const random = seededRandom(seed);
  const queries: string[] = [];
  while (queries.length < count) {
    const words = papers[Math.floor(random() * papers.length)]!.title
      .split(/\s+/)
      .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
      .filter((word) => word.length > 0);
    const length = 1 + (queries.length % 3);
    if (words.length < length) continue;
    const start = Math.floor(random() * (words.length - length + 1));
    const query = words.slice(start, start + length).join(" ");
    if (tokenize(query).some((word) => !STOPWORDS.has(word))) queries.push(query);
  }
  return queries;
}

/** Every prefix of 3 characters and more of each query: what autocomplete sees as a user types. */
export function typedPrefixes(queries: readonly string[]): string[] {
  return queries.flatMap((query) => Array.from({ length: Math.max(0, query.length - 2) }, (_, i) => query.slice(0, i + 3)));
}

/**
 * Known-item searches: a sampled paper and its two most distinctive title words (the ones fewest titles
 * share), as someone half-remembering a paper would search for it.
 */
export function knownItems(papers: readonly Paper[], count: number, seed = 7): Array<{ id: string; query: string }> {
  const titleFrequency = new Map<string, number>();
  for (const paper of papers) for (const word of new Set(tokenize(paper.title))) titleFrequency.set(word, (titleFrequency.get(word) ?? 0) + 1);
  const random = seededRandom(seed);
  const items: Array<{ id: string; query: string }> = [];
  while (items.length < Math.min(count, papers.length)) {
    const paper = papers[Math.floor(random() * papers.length)]!;
    const words = [...new Set(tokenize(paper.title))].filter((word) => word.length >= 3 && !STOPWORDS.has(word));
    if (words.length === 0) continue;
    const distinctive = words.sort((a, b) => titleFrequency.get(a)! - titleFrequency.get(b)!).slice(0, 2);
    items.push({ id: paper.id, query: distinctive.join(" ") });
  }
  return items;
}
