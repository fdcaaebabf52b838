import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { makePaper } from "../../corpus/make-paper.ts";
import { codeLinksIn, parseArxivReference, type Paper } from "../../corpus/paper.ts";
import { describeIssues } from "../../corpus/validation.ts";
import type { Rejection } from "../types.ts";

/**
 * The arXiv API's Atom feed, parsed and validated. Each `entry` has `id` = the versioned abs URL
 * ("http://arxiv.org/abs/2408.01234v2"), hard-wrapped `title` and `summary`, `published`, `updated`,
 * `author/name`, `category@term`, `link` (the pdf one has title="pdf") and optional `arxiv:comment`,
 * `arxiv:journal_ref`, `arxiv:doi`. A bad query still answers HTTP 200: a feed with one entry titled
 * "Error" whose id is under http://arxiv.org/api/errors, which must never be taken for a paper.
 */

/** The query itself was refused: arXiv's HTTP 200 "Error" entry. */
export class ArxivQueryError extends Error {
  override name = "ArxivQueryError";
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  // "1984" is a title, not a number.
  parseTagValue: false,
  parseAttributeValue: false,
  // Numeric character references ("&#233;") are plain XML, yet only decoded with this on.
  htmlEntities: true,
  isArray: (name) => ["entry", "author", "link", "category"].includes(name),
});

/** An element's text whether or not it carried attributes (`<title type="html">` parses to an object). */
const text = z.preprocess(
  (value) => (typeof value === "object" && value !== null && "#text" in value ? (value as { "#text": unknown })["#text"] : value),
  z.string(),
);

const EntrySchema = z.looseObject({
  id: text,
  title: text.refine((value) => value.trim() !== "", "title is empty"),
  summary: text.optional(),
  published: text.optional(),
  updated: text.optional(),
  author: z.array(z.looseObject({ name: text })).optional(),
  category: z.array(z.looseObject({ term: z.string() })).optional(),
  primary_category: z.looseObject({ term: z.string() }).optional(),
  link: z.array(z.looseObject({ href: z.string(), title: z.string().optional(), rel: z.string().optional() })).optional(),
  comment: text.optional(),
  journal_ref: text.optional(),
  doi: text.optional(),
});

/** One entry as arXiv gives it, before it becomes a Paper. */
export interface ArxivEntry {
  id: string;
  versionedId: string;
  title: string;
  summary: string;
  published?: string;
  updated?: string;
  authors: string[];
  categories: string[];
  primaryCategory?: string;
  pdf?: string;
  comment?: string;
  journalRef?: string;
  doi?: string;
}

export interface ArxivFeed {
  /** opensearch:totalResults: how many the query matches in all, across pages. */
  totalResults?: number;
  entries: ArxivEntry[];
  rejected: Rejection[];
}

const ERROR_ID = /^https?:\/\/(?:export\.)?arxiv\.org\/api\/errors/i;
const collapse = (value: string) => value.replace(/\s+/g, " ").trim();

function toEntry(value: unknown): ArxivEntry | string {
  const parsed = EntrySchema.safeParse(value);
  if (!parsed.success) return describeIssues(parsed.error);
  const entry = parsed.data;
  const versioned = /\/abs\/([^?#\s]+?)\/?$/.exec(entry.id.trim())?.[1];
  const id = parseArxivReference(entry.id);
  if (!versioned || !id) return `id: not an arXiv abs URL: "${entry.id.trim()}"`;
  const categories = [...new Set((entry.category ?? []).map((category) => category.term))];
  return {
    id,
    versionedId: versioned,
    title: collapse(entry.title),
    summary: collapse(entry.summary ?? ""),
    published: entry.published?.trim() || undefined,
    updated: entry.updated?.trim() || undefined,
    authors: (entry.author ?? []).map((author) => collapse(author.name)).filter(Boolean),
    categories,
    primaryCategory: entry.primary_category?.term ?? categories[0],
    pdf: entry.link?.find((link) => link.title === "pdf")?.href,
    comment: entry.comment === undefined ? undefined : collapse(entry.comment) || undefined,
    journalRef: entry.journal_ref === undefined ? undefined : collapse(entry.journal_ref) || undefined,
    doi: entry.doi?.trim() || undefined,
  };
}

/**
 * Parses a feed; throws for anything that is not one (plain text such as "Rate exceeded.", HTML, broken
 * XML) and ArxivQueryError for arXiv's "Error" entry. Entries that fail validation are rejected one by one.
 */
export function parseArxivFeed(xml: string, source = "arxiv"): ArxivFeed {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not an Atom feed: ${valid.err.msg} (line ${valid.err.line})`);
  const document = parser.parse(xml) as { feed?: { totalResults?: unknown; entry?: unknown[] } | "" };
  if (document.feed === undefined) throw new Error("not an Atom feed: no <feed> element");
  // An element with nothing inside parses to "": an empty feed, not a broken one.
  const feed = document.feed === "" ? {} : document.feed;
  const rawEntries = feed.entry ?? [];
  for (const raw of rawEntries) {
    const entry = raw as { id?: unknown; title?: unknown; summary?: unknown };
    const id = text.safeParse(entry.id);
    const title = text.safeParse(entry.title);
    if ((id.success && ERROR_ID.test(id.data.trim())) || (title.success && title.data.trim() === "Error" && !(id.success && /\/abs\//.test(id.data)))) {
      const summary = text.safeParse(entry.summary);
      throw new ArxivQueryError(`arXiv refused the query: ${summary.success ? collapse(summary.data) : "no reason given"}`);
    }
  }
  const total = Number(text.safeParse(feed.totalResults).data);
  const result: ArxivFeed = { totalResults: Number.isFinite(total) ? total : undefined, entries: [], rejected: [] };
  rawEntries.forEach((raw, index) => {
    const where = `${source} #${index + 1}`;
    const entry = toEntry(raw);
    if (typeof entry === "string") result.rejected.push({ source: where, reason: entry });
    else result.entries.push(entry);
  });
  return result;
}

/** An entry as a Paper; code links the authors put in the comment ("code at https://github.com/...") count too. */
export function arxivEntryToPaper(entry: ArxivEntry, source: string): Paper {
  return makePaper({
    id: entry.id,
    title: entry.title,
    abstract: entry.summary,
    authors: entry.authors,
    published: entry.published?.slice(0, 10),
    updated: entry.updated?.slice(0, 10),
    venue: entry.journalRef,
    // Its categories ("cs.LG") are what arXiv says the paper is about: keywords, for topics and digests.
    keywords: entry.categories,
    code: entry.comment ? codeLinksIn(entry.comment) : undefined,
    source,
  });
}
