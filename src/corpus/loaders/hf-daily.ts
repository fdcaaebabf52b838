import { z } from "zod";
import { makePaper } from "../make-paper.ts";
import type { Paper } from "../paper.ts";
import { describeIssues } from "../validation.ts";

/**
 * One item of a Hugging Face daily papers API response (`GET /api/daily_papers?date=...`). Unknown fields
 * are tolerated; the day it was listed is `paper.submittedOnDailyAt`, else the item's own `publishedAt`.
 */
const optionalText = z.string().nullish();
export const HfDailyItemSchema = z.looseObject({
  paper: z.looseObject({
    id: z.string().min(1),
    title: z.string().trim().min(1, "title is empty"),
    summary: optionalText,
    authors: z.array(z.looseObject({ name: z.string() })).nullish(),
    publishedAt: optionalText,
    upvotes: z.number().int().nonnegative().nullish(),
    /** When the paper was put on Daily Papers: the day it was listed. */
    submittedOnDailyAt: optionalText,
    githubRepo: optionalText,
    githubStars: z.number().int().nonnegative().nullish(),
    projectPage: optionalText,
    ai_summary: optionalText,
    ai_keywords: z.array(z.string()).nullish(),
  }),
  publishedAt: optionalText,
  thumbnail: optionalText,
  numComments: z.number().int().nonnegative().nullish(),
});

export function isHfDailyItem(value: unknown): boolean {
  return typeof value === "object" && value !== null && "paper" in value;
}

const day = (timestamp: string | null | undefined) => (timestamp ? timestamp.slice(0, 10) : undefined);

export function hfItemToPaper(value: unknown, source: string): Paper | string {
  const parsed = HfDailyItemSchema.safeParse(value);
  if (!parsed.success) return describeIssues(parsed.error);
  const { paper, publishedAt, thumbnail, numComments } = parsed.data;
  return makePaper({
    id: paper.id,
    title: paper.title,
    abstract: paper.summary ?? undefined,
    authors: paper.authors?.map((author) => author.name),
    published: day(paper.publishedAt),
    listed: day(paper.submittedOnDailyAt ?? publishedAt),
    upvotes: paper.upvotes ?? undefined,
    stars: paper.githubStars ?? undefined,
    comments: numComments ?? undefined,
    thumbnail: thumbnail ?? undefined,
    keywords: paper.ai_keywords ?? undefined,
    summary: paper.ai_summary ?? undefined,
    project: paper.projectPage ?? undefined,
    code: paper.githubRepo ? [paper.githubRepo] : undefined,
    source,
  });
}
