import type { Paper } from "../corpus/paper.ts";
import type { Analyzer } from "./analyzer.ts";

/**
 * BM25F (Robertson, Zaragoza & Taylor, 2004): a word's weight in a paper grows with how often it occurs,
 * with diminishing returns, counts more in the title than in the abstract, and counts less in a long field
 * than in a short one. The part that depends on the paper is computed once, at indexing time, as an
 * "impact" in [0, 1); the part that depends on the word across the corpus (idf) is applied per query.
 */

/** Fields are numbered as fieldTexts lists them: title, authors, abstract. */
const TITLE = 0;
/**
 * A title mention counts like three abstract mentions, an author name like two. Chosen on CACM
 * (bench/cacm.ts), where the neighbouring settings (title 2-4, authors 1-3, abstract b 0.3-0.75,
 * saturation 0.9-1.5) score 0.70-0.76 MRR: a plateau, not a spike fitted to 52 queries.
 */
const FIELD_WEIGHT = [3, 2, 1];
/** How much a field's length discounts its words (0: not at all; 1: fully). */
const LENGTH_NORMALIZATION = [0.5, 0.3, 0.5];
/** How fast repeated mentions stop adding weight. */
const SATURATION = 1.2;
/** Averages used before any paper was seen. */
const DEFAULT_LENGTHS = [8, 6, 120];
/** Field lengths are averaged over this many papers: an even sample is as good as all of them. */
export const LENGTH_SAMPLE = 2000;

export function fieldTexts(paper: Paper): string[] {
  return [paper.title, paper.authors.join(", "), paper.abstract];
}

/** Average field lengths (in index terms): the yardstick for "long" and "short". */
export class FieldLengths {
  constructor(
    private readonly sums = [0, 0, 0],
    private count = 0,
  ) {}

  get papers(): number {
    return this.count;
  }

  observe(lengths: readonly number[]): void {
    lengths.forEach((length, field) => (this.sums[field]! += length));
    this.count++;
  }

  average(field: number): number {
    return this.count === 0 ? DEFAULT_LENGTHS[field]! : Math.max(1, this.sums[field]! / this.count);
  }

  toJSON(): { sums: number[]; count: number } {
    return { sums: this.sums, count: this.count };
  }

  static fromJSON(json: { sums: number[]; count: number }): FieldLengths {
    return new FieldLengths([...json.sums], json.count);
  }
}

/**
 * Computes papers' impacts into scratch arrays kept between papers, so that indexing allocates nothing per
 * term (there are 10 million term mentions at 87k papers).
 */
export class ImpactCalculator {
  /** The last paper's distinct term ids and their impacts: `compute(paper)` of each. */
  terms = new Int32Array(1 << 12);
  impacts = new Float64Array(1 << 12);
  /** Its title's terms come first in `terms`; `titleImpacts` weighs them as if the title were all there is. */
  titleTerms = 0;
  titleImpacts = new Float64Array(1 << 12);
  private weight = new Float64Array(1 << 12);

  constructor(
    private readonly analyzer: Analyzer,
    private readonly lengths: () => FieldLengths,
  ) {}

  /** Index-term counts of each field, for FieldLengths. */
  fieldLengths(paper: Paper): number[] {
    return fieldTexts(paper).map((text) => this.analyzer.scan(text));
  }

  /** Fills `terms` and `impacts` for a paper; returns how many distinct terms it has. */
  compute(paper: Paper): number {
    const lengths = this.lengths();
    const texts = fieldTexts(paper);
    let distinct = 0;
    for (let field = 0; field < texts.length; field++) {
      const count = this.analyzer.scan(texts[field]!);
      const scanned = this.analyzer.lastScan();
      this.ensureCapacity(this.analyzer.termCount);
      const b = LENGTH_NORMALIZATION[field]!;
      const perMention = FIELD_WEIGHT[field]! / (1 - b + (b * count) / lengths.average(field));
      for (let i = 0; i < count; i++) {
        const term = scanned[i]!;
        if (this.weight[term] === 0) this.terms[distinct++] = term;
        this.weight[term]! += perMention;
      }
      if (field === TITLE) {
        this.titleTerms = distinct;
        for (let i = 0; i < distinct; i++) {
          const tf = this.weight[this.terms[i]!]! / FIELD_WEIGHT[TITLE]!;
          this.titleImpacts[i] = tf / (SATURATION + tf);
        }
      }
    }
    for (let i = 0; i < distinct; i++) {
      const term = this.terms[i]!;
      const tf = this.weight[term]!;
      this.impacts[i] = tf / (SATURATION + tf);
      this.weight[term] = 0;
    }
    return distinct;
  }

  private ensureCapacity(terms: number): void {
    if (terms <= this.weight.length) return;
    const size = Math.max(terms, this.weight.length * 2);
    this.weight = grow(this.weight, new Float64Array(size));
    this.terms = grow(this.terms, new Int32Array(size));
    this.impacts = grow(this.impacts, new Float64Array(size));
    this.titleImpacts = grow(this.titleImpacts, new Float64Array(size));
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** How informative a term is: rare terms count more (BM25's idf, never negative). */
export function idf(documentFrequency: number, documents: number): number {
  return Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
}
