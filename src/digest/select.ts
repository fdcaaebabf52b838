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

/** Whether a paper is on a subscription's topics, through the search index (src/search/query/topics.ts). */
export function topicTest(engine: SearchEngine, topics: Topics): (paper: Paper) => boolean {
  if (topics.include.length === 0 && topics.exclude.length === 0) return () => true;
  return engine.topicTest(
    topics.include.map((words) => words.join(" ")),
    topics.exclude,
  );
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
  /** Whether a paper is on the digest's topics (every paper when not given). */
  onTopic?: (paper: Paper) => boolean;
}

/**
 * The papers of the next digest, from all papers newest first (`newest`, src/corpus/listing-order.ts):
 * those on its topics not posted before, at most `count`; the walk stops as soon as it has them, so a
 * digest of new papers costs its count, not the corpus. When none is new: with `cycle`, the papers on its
 * topics posted longest ago (recycled: true); without, none.
 */
export function selectPapers(newest: Iterable<Paper>, options: SelectOptions): { papers: Paper[]; recycled: boolean } {
  const count = Math.max(0, Math.floor(options.count));
  if (count === 0) return { papers: [], recycled: false };
  const onTopic = options.onTopic ?? (() => true);
  const fresh: Paper[] = [];
  const seen = new Set<string>();
  for (const paper of newest) {
    if (fresh.length >= count) break;
    // Two records with one id (should the corpus hold them) are one paper.
    if (seen.has(paper.id) || options.posted.has(paper.id) || !onTopic(paper)) continue;
    seen.add(paper.id);
    fresh.push(paper);
  }
  if (fresh.length > 0 || !options.cycle) return { papers: fresh, recycled: false };
  const byId = new Map(Array.from(newest, (paper) => [paper.id, paper]));
  const recycled: Paper[] = [];
  for (const id of options.postedOrder ?? options.posted) {
    if (recycled.length >= count) break;
    const paper = byId.get(id);
    if (paper && onTopic(paper) && !recycled.includes(paper)) recycled.push(paper);
  }
  return { papers: recycled, recycled: recycled.length > 0 };
}
