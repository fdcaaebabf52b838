/**
 * Which papers a digest posts: those on the subscription's topics that it has not posted before, newest
 * listing first.
 */
import { dayOf } from "../corpus/listing-order.ts";
import type { Paper } from "../corpus/paper.ts";

/** A digest sorted by upvotes posts the best of this many days of new listings first. */
export const UPVOTES_WINDOW_DAYS = 7;

/**
 * The newest-first order (with dates, engine.newestFirstDated()) with its first UPVOTES_WINDOW_DAYS days
 * re-ordered by upvotes, ties newest first; older papers follow in the usual order. What a digest sorted
 * by upvotes walks: the week's most upvoted papers it has not posted yet come first.
 */
export function* upvotedFirst(dated: Iterable<{ paper: Paper; date: string }>): Generator<Paper> {
  const window: Paper[] = [];
  let first: number | undefined;
  const rest = dated[Symbol.iterator]();
  for (let next = rest.next(); !next.done; next = rest.next()) {
    const day = dayOf(next.value.date);
    first ??= day;
    if (day === undefined || first === undefined || day <= first - UPVOTES_WINDOW_DAYS) {
      yield* window.sort((a, b) => (b.upvotes ?? -1) - (a.upvotes ?? -1));
      yield next.value.paper;
      for (let after = rest.next(); !after.done; after = rest.next()) yield after.value.paper;
      return;
    }
    window.push(next.value.paper);
  }
  yield* window.sort((a, b) => (b.upvotes ?? -1) - (a.upvotes ?? -1));
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
