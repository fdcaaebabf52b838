import { IMPACT_LEVELS } from "../tuning.ts";
import { impactLevel, type Slots } from "./impact-index.ts";

/**
 * Collects many papers' postings in flat typed arrays, then lays them out term by term with every list
 * allocated at its final size, in FlexSearch's own layout: much faster than FlexSearch's `add` one paper
 * at a time, and no list is left with spare room.
 */
export class PostingsBuilder {
  private terms: Int32Array;
  /** doc * IMPACT_LEVELS + level: one number per posting (papers < 67 million). */
  private entries: Int32Array;
  private count = 0;
  readonly docs: number[] = [];

  /** `expected`: about how many postings will come; a good guess saves copying them while growing. */
  constructor(expected = 1 << 16) {
    this.terms = new Int32Array(expected);
    this.entries = new Int32Array(expected);
  }

  add(doc: number, terms: Int32Array, impacts: Float64Array, distinct: number): void {
    if (this.count + distinct > this.terms.length) this.grow(this.count + distinct);
    for (let i = 0; i < distinct; i++) {
      this.terms[this.count] = terms[i]!;
      this.entries[this.count++] = doc * IMPACT_LEVELS + impactLevel(impacts[i]!);
    }
    this.docs.push(doc);
  }

  /** FlexSearch's map: [term, slots] for every term with postings; `name(id)` spells a term id. */
  layout(termCount: number, name: (id: number) => string): Array<[string, Slots]> {
    // Counting sort by term; stable, so each term's papers stay in the order they were added.
    const start = new Int32Array(termCount + 1);
    for (let i = 0; i < this.count; i++) start[this.terms[i]! + 1]!++;
    for (let term = 0; term < termCount; term++) start[term + 1]! += start[term]!;
    const byTerm = new Int32Array(this.count);
    const cursor = start.slice(0, termCount);
    for (let i = 0; i < this.count; i++) byTerm[cursor[this.terms[i]!]!++] = this.entries[i]!;
    this.terms = this.entries = new Int32Array(0);

    const result: Array<[string, Slots]> = [];
    const perLevel = new Int32Array(IMPACT_LEVELS);
    for (let term = 0; term < termCount; term++) {
      const from = start[term]!;
      const to = start[term + 1]!;
      if (from === to) continue;
      perLevel.fill(0);
      for (let i = from; i < to; i++) perLevel[byTerm[i]! % IMPACT_LEVELS]!++;
      const slots: Slots = [];
      perLevel.forEach((size, level) => {
        if (size > 0) slots[level] = new Array<number>(size);
      });
      perLevel.fill(0);
      for (let i = from; i < to; i++) {
        const level = byTerm[i]! % IMPACT_LEVELS;
        slots[level]![perLevel[level]!++] = Math.floor(byTerm[i]! / IMPACT_LEVELS);
      }
      result.push([name(term), slots]);
    }
    return result;
  }

  private grow(needed: number): void {
    const size = Math.max(needed, this.terms.length * 2);
    const terms = new Int32Array(size);
    const entries = new Int32Array(size);
    terms.set(this.terms.subarray(0, this.count));
    entries.set(this.entries.subarray(0, this.count));
    this.terms = terms;
    this.entries = entries;
  }
}
