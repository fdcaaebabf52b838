/**
 * Which papers a digest posts: those on the subscription's topics that it has not posted before, newest
 * listing first.
 */
import type { Paper } from "../corpus/paper.ts";
import type { SearchEngine } from "../search/engine.ts";
import { tokenize } from "../text/words.ts";

export interface Topics {
  /** Comma-separated phrases, each a list of folded words that must all appear; a paper matches any phrase. */
  include: string[][];
  /**
   * Excluded words ("-survey" -> "survey"): a paper containing one does not match. A hyphenated exclude
   * ("-self-supervised") is kept as one entry of space-separated words ("self supervised") and excludes
   * only papers that contain all of them.
   */
  exclude: string[];
}

/**
 * "diffusion, reinforcement learning -survey" -> include [["diffusion"], ["reinforcement", "learning"]],
 * exclude ["survey"]. Words are folded like the search index (case and accents ignored); "-" marks an
 * exclude only at the start of a word, so "self-supervised" is the phrase ["self", "supervised"].
 */
export function parseTopics(text: string | undefined): Topics {
  const include: string[][] = [];
  const exclude: string[] = [];
  const seenPhrases = new Set<string>();
  for (const phrase of (text ?? "").split(/[,;\n]/)) {
    const words: string[] = [];
    for (const chunk of phrase.split(/\s+/)) {
      if (/^[-\u2212\u2013]/.test(chunk)) {
        const excluded = tokenize(chunk).join(" ");
        if (excluded && !exclude.includes(excluded)) exclude.push(excluded);
      } else {
        words.push(...tokenize(chunk));
      }
    }
    const unique = [...new Set(words)];
    const key = [...unique].sort().join(" ");
    if (unique.length > 0 && !seenPhrases.has(key)) {
      seenPhrases.add(key);
      include.push(unique);
    }
  }
  return { include, exclude };
}

/** The topics as the user could type them again: "diffusion, reinforcement learning, -survey"; "" when none. */
export function formatTopics(topics: Topics): string {
  return [...topics.include.map((words) => words.join(" ")), ...topics.exclude.map((words) => `-${words.replace(/ /g, "-")}`)].join(", ");
}

/** The papers on a subscription's topics, through the search index (src/search/query/topics.ts). */
export function papersOnTopics(engine: SearchEngine, topics: Topics): Paper[] {
  return engine.onTopic(
    topics.include.map((words) => words.join(" ")),
    topics.exclude,
  );
}

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
export function digestOrder(papers: readonly Paper[]): Paper[] {
  const keys = dateKeys(papers);
  return papers
    .map((paper, index) => ({ paper, index, date: keys.get(paper) ?? "", upvotes: paper.upvotes ?? -1 }))
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) || b.upvotes - a.upvotes || a.index - b.index)
    .map((entry) => entry.paper);
}

export interface SelectOptions {
  /** How many papers to post. */
  count: number;
  /** Ids this subscription has posted before. */
  posted: ReadonlySet<string>;
  /** With nothing new: repost the papers posted longest ago (true) or post nothing (false). */
  cycle: boolean;
  /** Posted ids, oldest posted first (DigestStore.postedPaperIds); defaults to the order of `posted`. */
  postedOrder?: readonly string[];
}

/**
 * The papers of the next digest, from those on its topics (`matching`): papers not posted before, in
 * digest order, at most `count`. When none is new: with `cycle`, the papers posted longest ago (recycled:
 * true); without, none.
 */
export function selectPapers(matching: readonly Paper[], options: SelectOptions): { papers: Paper[]; recycled: boolean } {
  const count = Math.max(0, Math.floor(options.count));
  if (count === 0) return { papers: [], recycled: false };
  const fresh = matching.filter((paper) => !options.posted.has(paper.id));
  if (fresh.length > 0) {
    // Two records with one id (should the corpus hold them) are one paper.
    return { papers: uniqueById(digestOrder(fresh)).slice(0, count), recycled: false };
  }
  if (!options.cycle || matching.length === 0) return { papers: [], recycled: false };
  const age = new Map<string, number>();
  for (const id of options.postedOrder ?? options.posted) if (!age.has(id)) age.set(id, age.size);
  // A paper posted but missing from postedOrder counts as oldest-unknown: after the known ones.
  const ordered = digestOrder(matching)
    .map((paper, index) => ({ paper, index, age: age.get(paper.id) ?? Number.MAX_SAFE_INTEGER }))
    .sort((a, b) => a.age - b.age || a.index - b.index)
    .map((entry) => entry.paper);
  return { papers: uniqueById(ordered).slice(0, count), recycled: true };
}

function uniqueById(papers: Paper[]): Paper[] {
  const seen = new Set<string>();
  return papers.filter((paper) => !seen.has(paper.id) && seen.add(paper.id));
}
