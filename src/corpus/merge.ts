import { titleKey } from "../text/words.ts";
import { arxivId, type Paper } from "./paper.ts";

/** How much a record tells: the richer of two duplicates wins. */
function richness(paper: Paper): number {
  return (
    (paper.abstract ? 4 : 0) +
    (paper.authors.length ? 2 : 0) +
    (paper.upvotes !== undefined ? 1 : 0) +
    (paper.stars !== undefined ? 1 : 0) +
    (paper.published ? 1 : 0) +
    (paper.summary ? 1 : 0) +
    (paper.links.arxiv ? 1 : 0) +
    paper.links.code.length +
    (paper.keywords.length ? 1 : 0)
  );
}

/**
 * Counts that only grow (upvotes, stars, comments): the larger is the newer, whichever record it came
 * with, so re-ingesting an older day never takes a count back.
 */
function largest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** The richer record, with anything only the poorer one knows filled in. */
function mergePair(a: Paper, b: Paper): Paper {
  const [rich, poor] = richness(b) > richness(a) ? [b, a] : [a, b];
  return {
    ...poor,
    ...Object.fromEntries(Object.entries(rich).filter(([, value]) => value !== undefined && value !== "")),
    // An arXiv id is the stable one, whichever record brought it.
    id: [rich.id, poor.id].find((id) => arxivId(id)) ?? rich.id,
    authors: rich.authors.length ? rich.authors : poor.authors,
    // Keywords from both: Hugging Face's topics and arXiv's categories say different things.
    keywords: [...new Set([...rich.keywords, ...poor.keywords])],
    upvotes: largest(rich.upvotes, poor.upvotes),
    stars: largest(rich.stars, poor.stars),
    comments: largest(rich.comments, poor.comments),
    links: {
      ...poor.links,
      ...Object.fromEntries(Object.entries(rich.links).filter(([, value]) => value !== undefined)),
      code: [...new Set([...rich.links.code, ...poor.links.code])],
    },
  } as Paper;
}

/**
 * Merges papers that share an id or a normalized title, keeping first-seen order. A group remembers every
 * id and title it has absorbed, and a record that links two groups joins them, so the result does not
 * depend on the order files are read in.
 */
export function mergeDuplicates(papers: Paper[]): { papers: Paper[]; merged: number } {
  const groups: Array<Paper | undefined> = [];
  const groupKeys: string[][] = [];
  const groupOf = new Map<string, number>();
  const keysOf = (paper: Paper) => [`id:${paper.id}`, `title:${titleKey(paper.title)}`];
  for (const paper of papers) {
    const keys = keysOf(paper);
    if (!groupOf.has(keys[0]!) && !groupOf.has(keys[1]!)) {
      // The common case, a paper seen for the first time: a new group without the bookkeeping below.
      for (const key of keys) groupOf.set(key, groups.length);
      groupKeys.push(keys);
      groups.push(paper);
      continue;
    }
    const found = [...new Set(keys.flatMap((key) => groupOf.get(key) ?? []))].sort((a, b) => a - b);
    const target = found[0] ?? groups.length;
    let merged = paper;
    for (const group of found) merged = mergePair(groups[group]!, merged);
    for (const absorbed of found.slice(1)) {
      groups[absorbed] = undefined;
      keys.push(...groupKeys[absorbed]!);
    }
    groups[target] = merged;
    groupKeys[target] = [...new Set([...(groupKeys[target] ?? []), ...keys, ...keysOf(merged)])];
    for (const key of groupKeys[target]!) groupOf.set(key, target);
  }
  const result = groups.filter((paper): paper is Paper => paper !== undefined);
  return { papers: result, merged: papers.length - result.length };
}
