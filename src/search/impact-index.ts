import { Index, type IntermediateSearchResults } from "flexsearch";

/**
 * The inverted index: FlexSearch, with its "resolution" slots used as impact levels. FlexSearch keeps, per
 * term, one list of papers per slot and normally picks the slot from the word's position; our `score`
 * hook picks it from the word's BM25F impact in the paper instead (slot 0 = highest impact). A term's
 * postings then come out of FlexSearch already grouped by weight, so a query reads each (term, paper) once
 * and knows its weight from the slot, and FlexSearch's own `search(term, { limit })` returns the best papers
 * first.
 *
 * Many papers at once are not added one by one: FlexSearch's `add` costs ~1 µs per (term, paper), 10 s at
 * 87k papers. `PostingsBuilder` lays out the very lists `add` would build and hands them to FlexSearch's
 * `import`, the loader its snapshots use.
 */

/** Impact levels: 32 keeps a weight's rounding error under 1/64, below what changes a ranking. */
export const IMPACT_LEVELS = 32;

const EMPTY: IntermediateSearchResults = [];

/** The slot an impact in [0, 1) goes to; slot 0 holds the highest impacts. */
export function impactLevel(impact: number): number {
  return Math.min(IMPACT_LEVELS - 1, Math.max(0, Math.floor((1 - impact) * IMPACT_LEVELS)));
}

/** The impact a slot stands for: the middle of its range. */
export const LEVEL_IMPACT: readonly number[] = Array.from({ length: IMPACT_LEVELS }, (_, level) => 1 - (level + 0.5) / IMPACT_LEVELS);

/** FlexSearch's layout for one term: papers by slot, each list in the order the papers were added. */
type Slots = Array<number[] | undefined>;

/**
 * Collects many papers' postings in flat typed arrays, then lays them out term by term with every list
 * allocated at its final size: growing 360k small arrays one push at a time was the slowest part of
 * indexing, and left them up to 16 entries too big.
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

export class ImpactIndex {
  /** Slots of the paper being added, by position in its term list: read by the `score` hook. */
  private pendingLevels: number[] = [];
  private readonly index = new Index({
    tokenize: "strict",
    resolution: IMPACT_LEVELS,
    // Papers arrive analyzed (src/search/analyzer.ts): a query is one term, a paper its distinct terms.
    encode: (content: string | string[]) => (typeof content === "string" ? [content] : content),
    score: (_content, _term, position) => this.pendingLevels[position] ?? IMPACT_LEVELS - 1,
  });

  /** Indexes one paper's distinct terms with their impacts. */
  add(doc: number, terms: string[], impacts: ArrayLike<number>): void {
    if (terms.length === 0) return;
    this.pendingLevels = Array.from(impacts, impactLevel);
    // FlexSearch passes content to `encode` untouched (it accepts non-string content since 0.8).
    this.index.add(doc, terms as unknown as string);
    this.pendingLevels = [];
  }

  /** Takes over what a builder collected, through FlexSearch's import; `name(id)` spells a term id. */
  load(builder: PostingsBuilder, termCount: number, name: (id: number) => string): void {
    // `import` parses strings, and takes already parsed data as it is.
    this.index.import("reg", builder.docs as unknown as string);
    this.index.import("map", builder.layout(termCount, name) as unknown as string);
  }

  /** Removes a paper; FlexSearch scans every term for it (no `fastupdate`, which would double the memory). */
  remove(doc: number): void {
    this.index.remove(doc);
  }

  /** Papers containing `term`, by impact slot: `postings(term)[level]` lists papers in the order they were added. */
  postings(term: string): IntermediateSearchResults {
    if (!term) return EMPTY;
    return this.index.search(term, { resolve: false }).result;
  }

  /** FlexSearch's own answer for one term: the `limit` papers where it weighs most. */
  best(term: string, limit: number): number[] {
    return this.index.search(term, { limit }) as number[];
  }

  documentFrequency(term: string): number {
    let count = 0;
    for (const papers of this.postings(term)) if (papers) count += papers.length;
    return count;
  }

  /**
   * FlexSearch's export, made compact for snapshots: its JSON spells every paper id in decimal, and parsing
   * 50 MB of it took a third of a warm start. Postings become one Int32Array: per term, its slot count,
   * then per slot the level, the number of papers and the papers.
   */
  exportCompact(): CompactPostings {
    const terms: string[] = [];
    const docs: number[] = [];
    let postings = new Int32Array(1 << 16);
    let length = 0;
    const push = (value: number) => {
      if (length === postings.length) {
        const grown = new Int32Array(postings.length * 2);
        grown.set(postings);
        postings = grown;
      }
      postings[length++] = value;
    };
    this.index.export((key, data) => {
      const parsed = JSON.parse(data) as unknown;
      if (key.endsWith("reg")) for (const doc of parsed as number[]) docs.push(doc);
      if (!key.endsWith("map")) return;
      for (const [term, slots] of parsed as Array<[string, Array<number[] | null>]>) {
        terms.push(term);
        push(slots.filter((papers) => papers && papers.length).length);
        slots.forEach((papers, level) => {
          if (!papers || papers.length === 0) return;
          push(level);
          push(papers.length);
          for (const paper of papers) push(paper);
        });
      }
    });
    return { terms, docs, postings: postings.slice(0, length) };
  }

  /** Loads what exportCompact wrote, through FlexSearch's import. */
  importCompact({ terms, docs, postings }: CompactPostings): void {
    const entries: Array<[string, Slots]> = new Array(terms.length);
    let at = 0;
    for (let t = 0; t < terms.length; t++) {
      const slots: Slots = [];
      for (let filled = postings[at++]!; filled > 0; filled--) {
        const level = postings[at++]!;
        const papers = new Array<number>(postings[at++]!);
        for (let i = 0; i < papers.length; i++) papers[i] = postings[at++]!;
        slots[level] = papers;
      }
      entries[t] = [terms[t]!, slots];
    }
    this.index.import("reg", docs as unknown as string);
    this.index.import("map", entries as unknown as string);
  }
}

export interface CompactPostings {
  terms: string[];
  docs: number[];
  postings: Int32Array;
}
