import { stemmer } from "stemmer";
import { STOPWORDS } from "./stopwords.ts";
import { fold, isAscii, isAsciiWordChar, isHighSurrogate, isLowSurrogate, isWordCodePoint, isWordUnit } from "../../text/words.ts";
import { FNV_OFFSET, FNV_PRIME, WordTable, hashRange } from "./word-table.ts";

export interface AnalyzerState {
  /** Words by id. */
  words: string[];
  /** Term id of each word, -1 for words not indexed. */
  wordTerms: Int32Array;
  /** Terms by id. */
  terms: string[];
}

/** Longer tokens are pasted garbage (hashes, base64), not words anyone searches for. */
export const MAX_TERM_LENGTH = 40;
const NO_TERM = -1;

/**
 * Turns text into index terms: the words of src/text/words.ts without stop words, stemmed
 * by Porter's algorithm (the `stemmer` package: "Networks" -> "network"). Words and terms get integer ids; each word is stemmed once, when first
 * seen. The words seen are also the vocabulary that prefix and typo matching search.
 */
export class Analyzer {
  private readonly table = new WordTable();
  /** Word id -> term id, NO_TERM for words that are not indexed (stop words, garbage). */
  private termOfWord = new Int32Array(1 << 12);
  private readonly terms: string[] = [];
  private readonly termIds = new Map<string, number>();
  private termIdsStale = false;
  /** Term ids of the last `scan`, reused between calls. */
  private buffer = new Int32Array(1 << 12);

  get termCount(): number {
    return this.terms.length;
  }

  term(id: number): string {
    return this.terms[id]!;
  }

  /**
   * Term ids of a text, in order, with repeats: `scan(text)` of them at the start of `lastScan()`. The
   * same words as tokenize(text), found in place: no string is cut out for a word already known.
   */
  scan(text: string): number {
    // Plain ASCII needs no folding but lower case, which the loop and the word table do as they go.
    const folded = isAscii(text) ? text : fold(text);
    let count = 0;
    let start = -1;
    let hash = 0;
    for (let i = 0, end = folded.length; i <= end; i++) {
      let code = i < end ? folded.charCodeAt(i) : 32;
      if (code >= 65 && code <= 90) code += 32;
      let units = 1;
      let inWord: boolean;
      if (code < 0x80) inWord = isAsciiWordChar(code);
      else if (isHighSurrogate(code) && i + 1 < end && isLowSurrogate(folded.charCodeAt(i + 1))) {
        inWord = isWordCodePoint(folded.codePointAt(i)!);
        units = 2;
      } else inWord = isWordUnit(code);
      if (inWord) {
        if (start < 0) {
          start = i;
          hash = FNV_OFFSET;
        }
        hash = Math.imul(hash ^ code, FNV_PRIME);
        if (units === 2) hash = Math.imul(hash ^ folded.charCodeAt(++i), FNV_PRIME);
      } else {
        if (start >= 0) {
          // Intern first: it may grow termOfWord.
          const word = this.intern(folded, start, i, hash);
          const term = this.termOfWord[word]!;
          if (term !== NO_TERM) count = this.push(count, term);
          start = -1;
        }
        i += units - 1;
      }
    }
    return count;
  }

  lastScan(): Int32Array {
    return this.buffer;
  }

  /** Index terms of a text, in order, with repeats. */
  analyze(text: string): string[] {
    const count = this.scan(text);
    return Array.from(this.buffer.subarray(0, count), (id) => this.terms[id]!);
  }

  /** The index term of a folded word ("" when not indexed), remembering the word. */
  termOf(word: string): string {
    const id = this.intern(word, 0, word.length, hashRange(word, 0, word.length));
    const term = this.termOfWord[id]!;
    return term === NO_TERM ? "" : this.terms[term]!;
  }

  /**
   * The index term of the word text[start, end) as it stands in a text ("Networks" -> "network"), "" when
   * it is not an indexed word; undefined when the word is not plain ASCII (then fold it and use termOf).
   * Highlighting asks this for many words of every snippet: no string is made.
   */
  termAt(text: string, start: number, end: number): string | undefined {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) {
      let code = text.charCodeAt(i);
      if (code >= 0x80) return undefined;
      if (code >= 65 && code <= 90) code += 32;
      hash = Math.imul(hash ^ code, FNV_PRIME);
    }
    const id = this.table.findLowerCase(text, start, end, hash);
    const term = id === -1 ? NO_TERM : this.termOfWord[id]!;
    return term === NO_TERM ? "" : this.terms[term]!;
  }

  /** Whether `word` (folded) occurs in some indexed text. */
  knows(word: string): boolean {
    const id = this.table.find(word);
    return id !== -1 && this.termOfWord[id] !== NO_TERM;
  }

  /** The indexed words (not stop words), for the vocabulary. */
  indexedWords(): string[] {
    const { words } = this.table;
    const indexed: string[] = [];
    for (let id = 0; id < words.length; id++) if (this.termOfWord[id] !== NO_TERM) indexed.push(words[id]!);
    return indexed;
  }

  /** Everything it has learnt, for snapshots. */
  exportState(): AnalyzerState {
    return { words: [...this.table.words], wordTerms: this.termOfWord.slice(0, this.table.size), terms: [...this.terms] };
  }

  /** Takes over an exported state; only for a new analyzer. */
  restore(state: AnalyzerState): void {
    for (const term of state.terms) this.terms.push(term);
    this.termIdsStale = true;
    this.table.reserve(state.words.length);
    for (const word of state.words) this.table.add(word);
    this.termOfWord = Int32Array.from(state.wordTerms);
  }

  private intern(text: string, start: number, end: number, hash: number): number {
    const known = this.table.size;
    const id = this.table.intern(text, start, end, hash);
    if (id === known) {
      // A new word: stem it once.
      this.ensureWordCapacity(id);
      const term = analyzeWord(this.table.words[id]!);
      this.termOfWord[id] = term ? this.termIdFor(term) : NO_TERM;
    }
    return id;
  }

  private termIdFor(term: string): number {
    if (this.termIdsStale) {
      // After a restore, built when first needed (a new word): most warm starts never need it.
      this.terms.forEach((known, id) => this.termIds.set(known, id));
      this.termIdsStale = false;
    }
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
    }
    return id;
  }

  private push(count: number, term: number): number {
    if (count === this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[count] = term;
    return count + 1;
  }

  private ensureWordCapacity(id: number): void {
    if (id < this.termOfWord.length) return;
    const grown = new Int32Array(Math.max(id + 1, this.termOfWord.length * 2));
    grown.set(this.termOfWord);
    this.termOfWord = grown;
  }
}

/** The index term of a folded word without remembering it: for query words, so queries cannot grow memory. */
export function analyzeWord(word: string): string {
  if (word.length > MAX_TERM_LENGTH || STOPWORDS.has(word)) return "";
  // Porter's stemmer is for English words: numbers, codes ("gpt4") and other scripts stay as they are.
  return PLAIN_WORD.test(word) ? stemmer(word) : word;
}

const PLAIN_WORD = /^[a-z]+$/;
