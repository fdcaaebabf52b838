import type { IntermediateSearchResults } from "flexsearch";
import { LEVEL_IMPACT } from "./impact-index.ts";

/** Above any score (32 words x idf < 16 x impact < 1): a paper's total is matched words x WORD_STEP + score. */
export const WORD_STEP = 1024;

/**
 * Per-paper scores of the query being answered. The arrays live as long as the engine and only the
 * entries a query touched are cleared afterwards: clearing all 87k entries would cost more than most
 * queries. One query at a time (search is synchronous). A paper's matched-word count and score share one
 * number, so crediting a paper is one read and one write: that loop runs once per (word, paper).
 */
export class ScoreBoard {
  /** matched words x WORD_STEP + score: the keyword-query ranking key as it is. */
  total = new Float64Array(0);
  /** Papers with a score, in the order first touched. */
  touched = new Int32Array(0);
  touchedCount = 0;
  /** Papers that matched every word, in the order they got there: the candidates for a keyword query's top. */
  complete = new Int32Array(0);
  completeCount = 0;
  /** The total from which a paper has matched every word. */
  private completeTotal = 0;
  /** The best weight each paper got from the current word's variants (a word counts once per paper). */
  private wordBest = new Float64Array(0);
  private wordTouched = new Int32Array(0);
  private wordTouchedCount = 0;

  /** Clears the previous query and makes room for `papers` papers and a query of `words` words. */
  reset(papers: number, words: number): void {
    for (let i = 0; i < this.touchedCount; i++) this.total[this.touched[i]!] = 0;
    this.touchedCount = 0;
    this.completeCount = 0;

    this.completeTotal = words * WORD_STEP;
    if (this.total.length < papers) {
      const capacity = Math.max(papers, Math.ceil(this.total.length * 1.5), 64);
      this.total = new Float64Array(capacity);
      this.touched = new Int32Array(capacity);
      this.complete = new Int32Array(capacity);
      this.wordBest = new Float64Array(capacity);
      this.wordTouched = new Int32Array(capacity);
    }
  }

  /** Scores a word with a single term: `weight` times each paper's impact. */
  addWord(postings: IntermediateSearchResults, weight: number): void {
    for (let level = 0; level < postings.length; level++) {
      const docs = postings[level] as number[] | null | undefined;
      if (!docs) continue;
      const value = weight * LEVEL_IMPACT[level]!;
      const credit = WORD_STEP + value;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const before = this.total[doc]!;
        if (before === 0) this.touched[this.touchedCount++] = doc;
        const after = before + credit;
        this.total[doc] = after;
        if (after >= this.completeTotal && before < this.completeTotal) this.complete[this.completeCount++] = doc;
      }
    }
  }

  /** Offers papers a weight for the current word from one of its terms; `endWord` keeps each paper's best. */
  offer(postings: IntermediateSearchResults, weight: number): void {
    const best = this.wordBest;
    for (let level = 0; level < postings.length; level++) {
      const docs = postings[level] as number[] | null | undefined;
      if (!docs) continue;
      const value = weight * LEVEL_IMPACT[level]!;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const previous = best[doc]!;
        if (value > previous) {
          if (previous === 0) this.wordTouched[this.wordTouchedCount++] = doc;
          best[doc] = value;
        }
      }
    }
  }

  endWord(): void {
    for (let i = 0; i < this.wordTouchedCount; i++) {
      const doc = this.wordTouched[i]!;
      const before = this.total[doc]!;
      if (before === 0) this.touched[this.touchedCount++] = doc;
      const after = before + WORD_STEP + this.wordBest[doc]!;
      this.total[doc] = after;
      if (after >= this.completeTotal && before < this.completeTotal) this.complete[this.completeCount++] = doc;
      this.wordBest[doc] = 0;
    }
    this.wordTouchedCount = 0;
  }

  /** Makes sure `doc` is among the touched papers (the exact title or id, even when it matched no word). */
  touch(doc: number): void {
    // A paper that matched a word is already touched; called once per query.
    if (this.total[doc] === 0) this.touched[this.touchedCount++] = doc;
  }

  matched(doc: number): number {
    return Math.floor(this.total[doc]! / WORD_STEP);
  }

  score(doc: number): number {
    return this.total[doc]! - this.matched(doc) * WORD_STEP;
  }
}
