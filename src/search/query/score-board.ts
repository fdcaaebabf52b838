import type { Postings } from "../index/impact-index.ts";
import { LEVEL_IMPACT } from "../index/impact-index.ts";
import { TopK } from "./top-k.ts";

/**
 * A paper's total is matched words × WORD_STEP + score, so that one number orders keyword results (more
 * words first, then score). It must exceed any score: a word adds at most query-term weight (< 9) × idf
 * (< 16) × impact (< 1), and a query has at most MAX_QUERY_WORDS (32) words: under 2^13.
 */
const WORD_STEP = 2 ** 20;
/**
 * Within one count of matched words, papers with every word of a keyword query in the title come first
 * (above any score), the strongest title match first: its title score, scaled above any score, under 2^19.
 */
const TITLE_STEP = 2 ** 19;
const TITLE_SCORE_SCALE = 2 ** 5;

/** How the best papers are chosen from the board. */
export interface Order {
  /** Papers matching more words first (keyword queries); off for natural-language queries. */
  wordsFirst: boolean;
  /** The paper the query names exactly: first, whatever its score. */
  exactDoc: number | undefined;
}

/**
 * Per-paper scores of the query being answered. The arrays live as long as the engine and only the entries
 * a query touched are cleared afterwards, because clearing every paper's entry would cost more than most
 * queries. One query at a time (search is synchronous). Crediting a paper is one read and one write: that
 * loop runs once per (word, paper).
 */
export class ScoreBoard {
  private total = new Float64Array(0);
  /** What liftTitleMatches added to a paper's total. */
  private lift = new Float64Array(0);
  /** While lifting: how many of the query's words each candidate's title has, and the candidates. */
  private titleWords = new Uint8Array(0);
  private titleCandidates = new Int32Array(0);
  /** Papers with a score, in the order first touched. */
  private touched = new Int32Array(0);
  private touchedCount = 0;
  /** Papers that matched every word, in the order they got there: a keyword query's candidates. */
  private complete = new Int32Array(0);
  private completeCount = 0;
  /** The total from which a paper has matched every word. */
  private completeTotal = 0;
  /** The best weight each paper got from the current word's variants (a word counts once per paper). */
  private wordBest = new Float64Array(0);
  private wordTouched = new Int32Array(0);
  private wordTouchedCount = 0;

  /** Papers that matched at least one word (and the one touched as named exactly). */
  get papersTouched(): number {
    return this.touchedCount;
  }

  /** Papers that matched every word. */
  get papersComplete(): number {
    return this.completeCount;
  }

  /** Clears the previous query and makes room for `papers` papers and a query of `words` words. */
  reset(papers: number, words: number): void {
    if (this.touchedCount > this.total.length / 8) {
      // Most papers were touched: clearing everything in order is faster than jumping about.
      this.total.fill(0);
      this.lift.fill(0);
    } else for (let i = 0; i < this.touchedCount; i++) this.total[this.touched[i]!] = this.lift[this.touched[i]!] = 0;
    this.touchedCount = 0;
    this.completeCount = 0;
    this.completeTotal = words * WORD_STEP;
    if (this.total.length < papers) {
      const capacity = Math.max(papers, Math.ceil(this.total.length * 1.5), 64);
      this.total = new Float64Array(capacity);
      this.lift = new Float64Array(capacity);
      this.titleWords = new Uint8Array(capacity);
      this.titleCandidates = new Int32Array(capacity);
      this.touched = new Int32Array(capacity);
      this.complete = new Int32Array(capacity);
      this.wordBest = new Float64Array(capacity);
      this.wordTouched = new Int32Array(capacity);
    }
  }

  /** Scores a word with a single term: `weight` times each paper's impact. */
  addWord(postings: Postings, weight: number, only?: number): void {
    for (let level = 0; level < postings.length; level++) {
      const docs = postings[level] as number[] | null | undefined;
      if (!docs) continue;
      const credit = WORD_STEP + weight * LEVEL_IMPACT[level]!;
      if (only === undefined) for (let i = 0; i < docs.length; i++) this.credit(docs[i]!, credit);
      else for (let i = 0; i < docs.length; i++) if (this.total[docs[i]!]! >= only * WORD_STEP) this.credit(docs[i]!, credit);
    }
  }

  /**
   * Offers papers a weight for the current word from one of its terms; `endWord` keeps each paper's best.
   * `only` (for this and addWord): credit only papers that already matched that many words, for a
   * conjunctive query that looks no further than the papers with every word.
   */
  offer(postings: Postings, weight: number, only?: number): void {
    const best = this.wordBest;
    const floor = only === undefined ? 0 : only * WORD_STEP;
    for (let level = 0; level < postings.length; level++) {
      const docs = postings[level] as number[] | null | undefined;
      if (!docs) continue;
      const value = weight * LEVEL_IMPACT[level]!;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        if (this.total[doc]! < floor) continue;
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
      this.credit(doc, WORD_STEP + this.wordBest[doc]!);
      this.wordBest[doc] = 0;
    }
    this.wordTouchedCount = 0;
  }

  /** Makes sure `doc` is among the touched papers (the exact title or id, even when it matched no word). */
  touch(doc: number): void {
    if (this.total[doc] === 0) this.touched[this.touchedCount++] = doc;
  }

  matched(doc: number): number {
    return Math.floor(this.total[doc]! / WORD_STEP);
  }

  score(doc: number): number {
    return this.total[doc]! - this.matched(doc) * WORD_STEP - this.lift[doc]!;
  }

  /**
   * Lifts the papers that have every word of a keyword query in their title above the others with as many
   * words, ordered among themselves by how strongly their title alone matches. `words`: per word, its
   * variants' postings in the title-only index with their weights; rarest word first, so that only its
   * papers are ever candidates (a common word's postings are then read, not collected).
   */
  liftTitleMatches(words: ReadonlyArray<ReadonlyArray<{ postings: Postings; weight: number }>>): void {
    const { titleWords, lift } = this;
    let candidates = 0;
    words.forEach((variants, w) => {
      for (const { postings, weight } of variants) {
        for (let level = 0; level < postings.length; level++) {
          const docs = postings[level] as number[] | null | undefined;
          if (!docs) continue;
          const value = weight * LEVEL_IMPACT[level]!;
          for (let i = 0; i < docs.length; i++) {
            const doc = docs[i]!;
            if (titleWords[doc] !== w) continue;
            if (this.wordBest[doc] === 0) this.wordTouched[this.wordTouchedCount++] = doc;
            if (value > this.wordBest[doc]!) this.wordBest[doc] = value;
          }
        }
      }
      for (let i = 0; i < this.wordTouchedCount; i++) {
        const doc = this.wordTouched[i]!;
        if (w === 0) this.titleCandidates[candidates++] = doc;
        titleWords[doc] = w + 1;
        lift[doc]! += this.wordBest[doc]!;
        this.wordBest[doc] = 0;
      }
      this.wordTouchedCount = 0;
    });
    for (let i = 0; i < candidates; i++) {
      const doc = this.titleCandidates[i]!;
      const complete = titleWords[doc] === words.length && this.total[doc]! > 0;
      lift[doc] = complete ? TITLE_STEP + lift[doc]! * TITLE_SCORE_SCALE : 0;
      this.total[doc]! += lift[doc]!;
      titleWords[doc] = 0;
    }
  }

  /**
   * The best `k` touched papers, best first: the exact paper; then, with `wordsFirst`, more matched words
   * first; then by score; ties by corpus order. When enough papers match every word of a keyword query,
   * only those are looked at.
   */
  top(k: number, order: Order): number[] {
    if (k <= 0) return [];
    const { exactDoc, wordsFirst } = order;
    const first = exactDoc === undefined ? [] : [exactDoc];
    const wanted = k - first.length;
    // Every paper on the complete list has every word: among them the total orders like the score.
    const fromComplete = wordsFirst && this.completeCount >= wanted + 1;
    const candidates = fromComplete ? this.complete : this.touched;
    const count = fromComplete ? this.completeCount : this.touchedCount;
    const best = new TopK(wanted);
    for (let i = 0; i < count; i++) {
      const doc = candidates[i]!;
      if (doc !== exactDoc) best.offer(doc, wordsFirst ? this.total[doc]! : this.score(doc));
    }
    return [...first, ...best.best()];
  }

  private credit(doc: number, credit: number): void {
    const before = this.total[doc]!;
    if (before === 0) this.touched[this.touchedCount++] = doc;
    const after = before + credit;
    this.total[doc] = after;
    if (after >= this.completeTotal && before < this.completeTotal) this.complete[this.completeCount++] = doc;
  }
}
