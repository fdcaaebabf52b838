import { arxivId, arxivLinks, codeLinksIn, normalizeCodeLink, titleId, type Paper } from "./paper.ts";
import { collapseWhitespace } from "../text/whitespace.ts";

/** What a loader knows about a paper; everything else is derived here, the same way for every source. */
export interface PaperFields {
  id?: string;
  title: string;
  abstract?: string;
  authors?: string[];
  published?: string;
  listed?: string;
  updated?: string;
  venue?: string;
  upvotes?: number;
  stars?: number;
  comments?: number;
  keywords?: string[];
  summary?: string;
  url?: string;
  project?: string;
  thumbnail?: string;
  code?: string[];
  source: string;
}

const clean = (text: string | undefined): string | undefined => {
  const collapsed = text === undefined ? undefined : collapseWhitespace(text);
  return collapsed ? collapsed : undefined;
};
const cleanList = (items: string[] | undefined): string[] =>
  [...new Set((items ?? []).map(collapseWhitespace).filter(Boolean))];

/** Normalizes white space and derives the id and links: arXiv id when known, else the given id, else the title. */
export function makePaper(fields: PaperFields): Paper {
  const title = collapseWhitespace(fields.title);
  const abstract = collapseWhitespace(fields.abstract ?? "");
  const givenId = fields.id?.trim();
  const arxiv = givenId ? arxivId(givenId) : undefined;
  return {
    id: arxiv ?? (givenId || titleId(title)),
    title,
    abstract,
    authors: cleanList(fields.authors),
    published: clean(fields.published),
    listed: fields.listed,
    updated: clean(fields.updated),
    venue: clean(fields.venue),
    upvotes: fields.upvotes,
    stars: fields.stars,
    comments: fields.comments,
    keywords: cleanList(fields.keywords),
    summary: clean(fields.summary),
    links: {
      page: clean(fields.url),
      ...(arxiv ? arxivLinks(arxiv) : {}),
      project: clean(fields.project),
      thumbnail: clean(fields.thumbnail),
      code: cleanList([...(fields.code ?? []).map(normalizeCodeLink), ...codeLinksIn(abstract)]),
    },
    source: fields.source,
  };
}
