import type { Paper } from "./paper.ts";

/**
 * Papers newest first, as digests and trending lists show them: by listing date (the day a listing such
 * as Hugging Face Daily Papers featured the paper), else publication date, then most upvoted, then in
 * corpus order; papers with no date last.
 */

const FULL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;
const MONTH_DAY = /^--(\d{2})-(\d{2})$/;

/**
 * A sortable date key for each paper ("" = no date): its listing date, else its publication date.
 * A year-less "--MM-DD" listing is placed in the most recent year in which that month-day is not after
 * the newest full date among the papers (so "--08-04" sorts next to "2024-08-03" when the newest dated
 * paper is from 2024); with no full dates at all, year-less dates compare by month-day.
 */
function dateKeys(papers: readonly Paper[]): Map<Paper, string> {
  const raw = (paper: Paper) => (paper.listed?.trim() || paper.published?.trim() || "");
  let newest = "";
  for (const paper of papers) {
    const match = FULL_DATE.exec(raw(paper));
    if (match && match[0] > newest) newest = match[0];
  }
  const newestYear = newest ? Number(newest.slice(0, 4)) : 0;
  const newestMonthDay = newest.length >= 10 ? newest.slice(5, 10) : newest.length === 7 ? `${newest.slice(5, 7)}-31` : "12-31";
  const keys = new Map<Paper, string>();
  for (const paper of papers) {
    const text = raw(paper);
    const monthDay = MONTH_DAY.exec(text);
    if (monthDay) {
      const md = `${monthDay[1]}-${monthDay[2]}`;
      const year = newestYear === 0 ? 0 : md <= newestMonthDay ? newestYear : newestYear - 1;
      keys.set(paper, `${String(year).padStart(4, "0")}-${md}`);
      continue;
    }
    keys.set(paper, FULL_DATE.exec(text)?.[0] ?? "");
  }
  return keys;
}

/** Papers newest listing date first (papers with no date last), then most upvoted, then in input order. */
export function newestFirst(papers: readonly Paper[]): Paper[] {
  const keys = dateKeys(papers);
  return papers
    .map((paper, index) => ({ paper, index, date: keys.get(paper) ?? "", upvotes: paper.upvotes ?? -1 }))
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) || b.upvotes - a.upvotes || a.index - b.index)
    .map((entry) => entry.paper);
}

