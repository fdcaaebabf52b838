/**
 * Every indexed term with its document frequency. It turns a query word into the index terms worth
 * looking up: the word itself, words it is a prefix of ("distil" -> "distillation"), and, when the word
 * is not in the corpus at all, words one typo away ("difusion" -> "diffusion").
 */

export type MatchKind = "exact" | "prefix" | "typo";

export interface TermVariant {
  term: string;
  kind: MatchKind;
}

const MIN_PREFIX_LENGTH = 3;
const MIN_TYPO_LENGTH = 4;
/** Longer "words" are not words (pasted garbage): no typo variants, which would cost ~72 look-ups per letter. */
const MAX_TYPO_LENGTH = 30;
const MAX_PREFIX_VARIANTS = 16;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

export class Vocabulary {
  private readonly frequency = new Map<string, number>();
  private sorted: string[] | undefined;

  /** Counts each distinct term of one document once. */
  addDocument(terms: Iterable<string>): void {
    for (const term of new Set(terms)) this.frequency.set(term, (this.frequency.get(term) ?? 0) + 1);
    this.sorted = undefined;
  }

  removeDocument(terms: Iterable<string>): void {
    for (const term of new Set(terms)) {
      const count = (this.frequency.get(term) ?? 0) - 1;
      if (count > 0) this.frequency.set(term, count);
      else this.frequency.delete(term);
    }
    this.sorted = undefined;
  }

  documentFrequency(term: string): number {
    return this.frequency.get(term) ?? 0;
  }

  get size(): number {
    return this.frequency.size;
  }

  variants(word: string): TermVariant[] {
    const variants: TermVariant[] = [];
    if (this.frequency.has(word)) variants.push({ term: word, kind: "exact" });
    for (const term of this.completions(word, MAX_PREFIX_VARIANTS)) variants.push({ term, kind: "prefix" });
    if (variants.length === 0) for (const term of this.oneTypoAway(word)) variants.push({ term, kind: "typo" });
    return variants;
  }

  /** The most frequent longer terms that start with `prefix`. */
  completions(prefix: string, limit: number): string[] {
    if (prefix.length < MIN_PREFIX_LENGTH) return [];
    const sorted = (this.sorted ??= [...this.frequency.keys()].sort());
    const found: string[] = [];
    for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) {
      if (sorted[i] !== prefix) found.push(sorted[i]!);
    }
    return found.sort((a, b) => this.documentFrequency(b) - this.documentFrequency(a)).slice(0, limit);
  }

  /** Corpus terms at edit distance 1 (a deletion, insertion, substitution or swap of neighbours). */
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
    return [...candidates].filter((term) => this.frequency.has(term));
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
