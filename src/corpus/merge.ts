import { titleKey } from "../search/tokenize.ts";
import { arxivId, type Paper } from "./paper.ts";

/** How much a record tells: the richer of two duplicates wins. */
function richness(paper: Paper): number {
  return (
    (paper.abstract ? 4 : 0) +
    (paper.authors.length ? 2 : 0) +
    (paper.upvotes !== undefined ? 1 : 0) +
    (paper.published ? 1 : 0) +
    (paper.summary ? 1 : 0) +
    (paper.links.arxiv ? 1 : 0) +
    paper.links.code.length +
    (paper.keywords.length ? 1 : 0)
  );
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
    keywords: rich.keywords.length ? rich.keywords : poor.keywords,
    links: {
      ...poor.links,
      ...Object.fromEntries(Object.entries(rich.links).filter(([, value]) => value !== undefined)),
      code: [...new Set([...rich.links.code, ...poor.links.code])],
    },
  } as Paper;
}

/** Merges papers that share an id or a normalized title, keeping first-seen order. */
export function mergeDuplicates(papers: Paper[]): { papers: Paper[]; merged: number } {
  const result: Paper[] = [];
  const byId = new Map<string, number>();
  const byTitle = new Map<string, number>();
  for (const paper of papers) {
    const key = titleKey(paper.title);
    const existing = byId.get(paper.id) ?? byTitle.get(key);
    if (existing === undefined) {
      byId.set(paper.id, result.length);
      byTitle.set(key, result.length);
      result.push(paper);
      continue;
    }
    const merged = mergePair(result[existing]!, paper);
    result[existing] = merged;
    byId.set(merged.id, existing);
    byTitle.set(key, existing);
  }
  return { papers: result, merged: papers.length - result.length };
}
