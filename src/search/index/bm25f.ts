import type { Paper } from "../../corpus/paper.ts";
import type { Analyzer } from "../text/analyzer.ts";
import { DEFAULT_FIELD_LENGTHS, FIELDS, FIELD_WEIGHT, LENGTH_NORMALIZATION, SATURATION, type Field } from "../tuning.ts";

/**
 * The ranking formula, BM25F (Robertson, Zaragoza & Taylor, 2004), in three pure functions:
 *
 *   tf(term, paper)     = Σ over fields f of  FIELD_WEIGHT[f] × count(term, f) / (1 − b[f] + b[f] × length(f) / averageLength(f))
 *   impact(term, paper) = tf / (SATURATION + tf)                                  in [0, 1), computed once, at indexing
 *   score(query, paper) = Σ over query words of  KIND_WEIGHT × idf(term) × impact(term, paper)
 *
 * A word weighs more the more often it occurs (with diminishing returns), in the title more than in the
 * abstract, in a short field more than in a long one, and when it is rare in the corpus. The constants are
 * in src/search/tuning.ts; src/search/query/rank-query.ts adds up the score.
 */

/** What one mention of a term in a field adds to its tf: the field's weight, discounted by its length. */
export function mentionWeight(field: Field, fieldLength: number, averageLength: number): number {
  const b = LENGTH_NORMALIZATION[field];
  return FIELD_WEIGHT[field] / (1 - b + (b * fieldLength) / averageLength);
}

/** A term's weighted frequency as an impact in [0, 1): repeated mentions add less and less. */
export function impact(tf: number): number {
  return tf / (SATURATION + tf);
}

/** How informative a term is: rare terms count more (BM25's idf, never negative). */
export function idf(documentFrequency: number, documents: number): number {
  return Math.log(1 + (documents - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

export function fieldTexts(paper: Paper): Record<Field, string> {
  return { title: paper.title, authors: paper.authors.join(", "), abstract: paper.abstract, keywords: paper.keywords.join(", ") };
}

/** Average field lengths (in index terms): the yardstick for "long" and "short". */
export class FieldLengths {
  constructor(
    private readonly sums = FIELDS.map(() => 0),
    private count = 0,
  ) {}

  get papers(): number {
    return this.count;
  }

  observe(lengths: readonly number[]): void {
    lengths.forEach((length, field) => (this.sums[field]! += length));
    this.count++;
  }

  average(field: Field): number {
    const index = FIELDS.indexOf(field);
    return this.count === 0 ? DEFAULT_FIELD_LENGTHS[field] : Math.max(1, this.sums[index]! / this.count);
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
 * term (there are millions of term mentions in a large corpus).
 */
export class ImpactCalculator {
  /** The last paper's distinct term ids and their impacts: `compute(paper)` of each. */
  terms = new Int32Array(1 << 12);
  impacts = new Float64Array(1 << 12);
  /** Its title's terms come first in `terms`; `titleImpacts` weighs them as if the title were all there is. */
  titleTerms = 0;
  titleImpacts = new Float64Array(1 << 12);
  private tf = new Float64Array(1 << 12);

  constructor(
    private readonly analyzer: Analyzer,
    private readonly lengths: () => FieldLengths,
  ) {}

  /** Index-term counts of each field, for FieldLengths. */
  fieldLengths(paper: Paper): number[] {
    const texts = fieldTexts(paper);
    return FIELDS.map((field) => this.analyzer.scan(texts[field]));
  }

  /** Fills `terms` and `impacts` for a paper; returns how many distinct terms it has. */
  compute(paper: Paper): number {
    const lengths = this.lengths();
    const texts = fieldTexts(paper);
    let distinct = 0;
    for (const field of FIELDS) {
      const count = this.analyzer.scan(texts[field]);
      const scanned = this.analyzer.lastScan();
      this.ensureCapacity(this.analyzer.termCount);
      const weight = mentionWeight(field, count, lengths.average(field));
      for (let i = 0; i < count; i++) {
        const term = scanned[i]!;
        if (this.tf[term] === 0) this.terms[distinct++] = term;
        this.tf[term]! += weight;
      }
      if (field === "title") {
        // Autocomplete's title-only index: the title's own tf, unweighted.
        this.titleTerms = distinct;
        for (let i = 0; i < distinct; i++) this.titleImpacts[i] = impact(this.tf[this.terms[i]!]! / FIELD_WEIGHT.title);
      }
    }
    for (let i = 0; i < distinct; i++) {
      const term = this.terms[i]!;
      this.impacts[i] = impact(this.tf[term]!);
      this.tf[term] = 0;
    }
    return distinct;
  }

  private ensureCapacity(terms: number): void {
    if (terms <= this.tf.length) return;
    const size = Math.max(terms, this.tf.length * 2);
    this.tf = grow(this.tf, new Float64Array(size));
    this.terms = grow(this.terms, new Int32Array(size));
    this.impacts = grow(this.impacts, new Float64Array(size));
    this.titleImpacts = grow(this.titleImpacts, new Float64Array(size));
  }
}

function grow<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
