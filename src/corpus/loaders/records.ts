import { z } from "zod";
import { makePaper } from "../make-paper.ts";
import type { Paper } from "../paper.ts";
import { describeIssues } from "../validation.ts";

/**
 * Our own paper records, one per JSON Lines line or JSON array element: the shape of
 * ../shared/corpus/papers.jsonl.gz. Only `title` is required; the record's own `id` is kept.
 */
const text = z.string().nullish();
export const PaperRecordSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).nullish(),
  title: z.string().trim().min(1, "title is empty"),
  abstract: text,
  authors: z.array(z.string()).nullish(),
  published: z.union([z.string(), z.number()]).nullish(),
  listed: text,
  updated: text,
  url: text,
  venue: text,
  upvotes: z.number().int().nonnegative().nullish(),
  stars: z.number().int().nonnegative().nullish(),
  comments: z.number().int().nonnegative().nullish(),
  thumbnail: text,
  keywords: z.array(z.string()).nullish(),
  summary: text,
  code: z.array(z.string()).nullish(),
  project: text,
});

export function recordToPaper(value: unknown, source: string): Paper | string {
  const parsed = PaperRecordSchema.safeParse(value);
  if (!parsed.success) return describeIssues(parsed.error);
  const record = parsed.data;
  return makePaper({
    id: record.id == null ? undefined : String(record.id),
    title: record.title,
    abstract: record.abstract ?? undefined,
    authors: record.authors ?? undefined,
    published: record.published == null ? undefined : String(record.published),
    listed: record.listed ?? undefined,
    updated: record.updated ?? undefined,
    url: record.url ?? undefined,
    venue: record.venue ?? undefined,
    upvotes: record.upvotes ?? undefined,
    stars: record.stars ?? undefined,
    comments: record.comments ?? undefined,
    thumbnail: record.thumbnail ?? undefined,
    keywords: record.keywords ?? undefined,
    summary: record.summary ?? undefined,
    code: record.code ?? undefined,
    project: record.project ?? undefined,
    source,
  });
}
