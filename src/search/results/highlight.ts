import { isAscii, nextWord, tokenize } from "../../text/words.ts";
import type { Analyzer } from "../text/analyzer.ts";
import type { WordMatch } from "./snippet.ts";

/**
 * Which words of a paper to show in bold: those whose index term the query matched ("Networks" for a
 * query on "network"). Asked for many words of every hit, so it avoids cutting words out of the text.
 */
export function wordMatcher(analyzer: Analyzer, terms: ReadonlySet<string>): WordMatch {
  // Stemming keeps a word's first letter: most words of an abstract are ruled out by it, before any lookup.
  const initials = new Uint8Array(128);
  for (const term of terms) initials[term.charCodeAt(0) & 127] = 1;
  return (text, start, end) => {
    let initial = text.charCodeAt(start);
    if (initial >= 65 && initial <= 90) initial += 32;
    if (initial < 128 && initials[initial] === 0) return false;
    const term = analyzer.termAt(text, start, end);
    if (term !== undefined) return terms.has(term);
    return tokenize(text.slice(start, end)).some((word) => terms.has(analyzer.termOf(word)));
  };
}

/** The words of `text` that match, as written. */
export function matchingWords(text: string, isMatch: WordMatch): string[] {
  const found: string[] = [];
  const word = { start: 0, end: 0 };
  const ascii = isAscii(text);
  for (let at = 0; nextWord(text, at, word, ascii); at = word.end) {
    if (isMatch(text, word.start, word.end)) found.push(text.slice(word.start, word.end));
  }
  return found;
}
