import { MAX_PREFIX_VARIANTS, MAX_TYPO_LENGTH, MIN_PREFIX_LENGTH, MIN_TYPO_LENGTH } from "../tuning.ts";
import { analyzeWord, type Analyzer } from "./analyzer.ts";

/**
 * Turns a query word into the index terms worth looking up: its own term ("networks" -> "network"),
 * completions when it is not a word of the corpus ("distil" -> "distillation"), and, when neither exists,
 * words one typo away ("difusion" -> "diffusion"). It searches the words as written (folded), not their
 * stems: "diffusi" is a prefix of "diffusion" but not of its stem "diffus".
 */

export type MatchKind = "exact" | "prefix" | "typo";

export interface TermVariant {
  term: string;
  kind: MatchKind;
}

/** Prefixes whose completions are remembered; bounded, since every prefix a user types is one. */
const COMPLETION_CACHE_SIZE = 10_000;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export class Vocabulary {
  /** The corpus's words, sorted, with their terms. */
  private words: string[] = [];
  private terms: string[] = [];
  /** How many papers have a term, looked up once per term as completions need it. */
  private frequencies = new Map<string, number>();
  private builtFor = "";
  private readonly completionCache = new Map<string, string[]>();

  constructor(
    private readonly analyzer: Analyzer,
    private readonly documentFrequency: (term: string) => number,
    /** Changes whenever papers are added: the sorted lists are rebuilt on the next query. */
    private readonly version: () => string,
  ) {}

  /**
   * `complete`: also offer completions of a word that is itself a corpus word, for text still being typed
   * ("trans" while typing "transformer").
   */
  variants(word: string, complete = false): TermVariant[] {
    const variants: TermVariant[] = [];
    const own = analyzeWord(word);
    if (own && this.documentFrequency(own) > 0) variants.push({ term: own, kind: "exact" });
    if (complete || !this.analyzer.knows(word)) {
      for (const term of this.completions(word, own)) variants.push({ term, kind: "prefix" });
    }
    if (variants.length === 0) for (const term of this.oneTypoAway(word)) variants.push({ term, kind: "typo" });
    return variants;
  }

  /** Terms of the most frequent corpus words that start with `prefix`, other than `own`. */
  private completions(prefix: string, own: string): string[] {
    if (prefix.length < MIN_PREFIX_LENGTH) return [];
    this.refresh();
    let best = this.completionCache.get(prefix);
    if (!best) {
      // A short prefix begins thousands of words: found once, then remembered (until papers are added).
      const frequencies = new Map<string, number>();
      for (let i = lowerBound(this.words, prefix); i < this.words.length && this.words[i]!.startsWith(prefix); i++) {
        const term = this.terms[i]!;
        const frequency = this.frequencyOf(term);
        if (frequency > 0) frequencies.set(term, frequency);
      }
      best = [...frequencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, MAX_PREFIX_VARIANTS + 1).map(([term]) => term);
      if (this.completionCache.size >= COMPLETION_CACHE_SIZE) this.completionCache.clear();
      this.completionCache.set(prefix, best);
    }
    return best.filter((term) => term !== own).slice(0, MAX_PREFIX_VARIANTS);
  }

  /** Terms of corpus words at edit distance 1 (a deletion, insertion, substitution or swap of neighbours). */
  private oneTypoAway(word: string): string[] {
    if (word.length < MIN_TYPO_LENGTH || word.length > MAX_TYPO_LENGTH) return [];
    const candidates = new Set<string>();
    for (let i = 0; i <= word.length; i++) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (tail) candidates.add(head + tail.slice(1));
      if (tail.length > 1) candidates.add(head + tail[1] + tail[0] + tail.slice(2));
      for (const letter of ALPHABET) {
        candidates.add(head + letter + tail);
        if (tail) candidates.add(head + letter + tail.slice(1));
      }
    }
    candidates.delete(word);
    const terms = new Set<string>();
    for (const candidate of candidates) {
      if (!this.analyzer.knows(candidate)) continue;
      const term = this.analyzer.termOf(candidate);
      if (this.documentFrequency(term) > 0) terms.add(term);
    }
    return [...terms];
  }

  /** Sorts the words for prefix search; also called right after start-up, so no user waits for it. */
  refresh(): void {
    const version = this.version();
    if (version === this.builtFor) return;
    // The default sort (by UTF-16 code units, as `<` compares) is twice as fast as one with a comparator.
    this.words = this.analyzer.indexedWords().sort();
    this.terms = this.words.map((word) => this.analyzer.termOf(word));
    this.frequencies.clear();
    this.completionCache.clear();
    this.builtFor = version;
  }

  private frequencyOf(term: string): number {
    let frequency = this.frequencies.get(term);
    if (frequency === undefined) this.frequencies.set(term, (frequency = this.documentFrequency(term)));
    return frequency;
  }
}

function lowerBound(sorted: string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
