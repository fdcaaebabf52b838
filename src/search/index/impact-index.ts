import { Index, type IntermediateSearchResults } from "flexsearch";
import { IMPACT_LEVELS } from "../tuning.ts";
import type { PostingsBuilder } from "./postings-builder.ts";

/**
 * The inverted index: FlexSearch, with its "resolution" slots used as impact levels. FlexSearch keeps, per
 * term, one list of papers per slot and normally picks the slot from the word's position; our `score`
 * hook picks it from the word's BM25F impact in the paper instead (slot 0 = highest impact). A term's
 * postings then come out of FlexSearch already grouped by weight, so a query reads each (term, paper) once
 * and knows its weight from the slot.
 */

/** A term's postings: papers by impact slot, best slot first, each slot in the order papers were added. */
export type Postings = IntermediateSearchResults;

const EMPTY: Postings = [];

/** The slot an impact in [0, 1) goes to; slot 0 holds the highest impacts. */
export function impactLevel(impact: number): number {
  return Math.min(IMPACT_LEVELS - 1, Math.max(0, Math.floor((1 - impact) * IMPACT_LEVELS)));
}

/** The impact a slot stands for: the middle of its range. */
export const LEVEL_IMPACT: readonly number[] = Array.from({ length: IMPACT_LEVELS }, (_, level) => 1 - (level + 0.5) / IMPACT_LEVELS);

/** FlexSearch's layout for one term: papers by slot, each list in the order the papers were added. */
export type Slots = Array<number[] | undefined>;

/** How many papers a term's postings hold: its document frequency. */
/** The document frequencies of a word's variants ("graph", "graphs"…), summed. */
export function variantsFrequency(variants: ReadonlyArray<{ postings: Postings }>): number {
  return variants.reduce((sum, variant) => sum + documentFrequency(variant.postings), 0);
}

export function documentFrequency(postings: Postings): number {
  let count = 0;
  for (const docs of postings) if (docs) count += docs.length;
  return count;
}

export class ImpactIndex {
  /** Slots of the paper being added, by position in its term list: read by the `score` hook. */
  private pendingLevels: number[] = [];
  private readonly index = new Index({
    tokenize: "strict",
    resolution: IMPACT_LEVELS,
    // Papers arrive analyzed (src/search/text/analyzer.ts): a query is one term, a paper its distinct terms.
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

  /**
   * Takes over what a builder collected, through FlexSearch's `import` (the loader its snapshots use): many
   * papers at once are laid out in bulk rather than added one by one (see docs/search.md).
   */
  load(builder: PostingsBuilder, termCount: number, name: (id: number) => string): void {
    // `import` parses strings, and takes already parsed data as it is.
    this.index.import("reg", builder.docs as unknown as string);
    this.index.import("map", builder.layout(termCount, name) as unknown as string);
  }

  /**
   * Removes a paper from the lists of its own `terms`. FlexSearch's own `remove` scans every term of the
   * index for it (without `fastupdate`, which would double the memory): 25 ms a paper at 40k papers, which
   * made re-ingesting a day of papers stall the bot. This edits FlexSearch 0.8's map (term -> slots) and
   * registry directly, as its `remove` does for one term; a test checks both give the same lists.
   */
  remove(doc: number, terms: readonly string[], impacts: ArrayLike<number>): void {
    const { map, reg } = this.index as unknown as { map: Map<string, Slots>; reg: Set<number> };
    for (const [i, term] of terms.entries()) {
      const slots = map.get(term);
      if (!slots) continue;
      // The slot its impact gave it when added (the same unless the average field lengths moved since).
      const expected = impactLevel(impacts[i]!);
      const level = slots[expected]?.includes(doc) ? expected : slots.findIndex((docs) => docs?.includes(doc));
      if (level === -1) continue;
      const docs = slots[level]!;
      docs.splice(docs.indexOf(doc), 1);
      if (docs.length === 0) delete slots[level];
      while (slots.length && !slots[slots.length - 1]?.length) slots.length--;
      if (slots.length === 0) map.delete(term);
    }
    reg.delete(doc);
  }

  /** Papers containing `term`, by impact slot: `postings(term)[level]` lists papers in the order they were added. */
  postings(term: string): Postings {
    if (!term) return EMPTY;
    return this.index.search(term, { resolve: false }).result;
  }

  /**
   * FlexSearch's export, made compact for snapshots (its JSON is slow to parse back): one Int32Array holding,
   * per term, its slot count, then per slot the level, the number of papers and the papers.
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
