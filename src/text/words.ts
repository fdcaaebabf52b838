/**
 * What a word is, for everything: the search index and its queries, snippet highlighting, title keys
 * (and so paper ids), digest topics and the ingest store all split text here, so what is indexed, what is
 * searched, what is shown in bold and what is stored always agree. Case, accents and punctuation do not
 * matter: "Self-Distillation" and "self distillation" give the same words.
 *
 * A word is a run of letters and digits of any script. Nothing here is tuned for ranking: a stored id
 * (titleKey) depends on this module, so a change here is a data migration, pinned by a golden test.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const WORD = /[\p{L}\p{N}]+/gu;
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const NON_ASCII = /[^\x00-\x7f]/;

export const isAscii = (text: string): boolean => !NON_ASCII.test(text);

/** Lower-cases and strips accents ("Café" -> "cafe"), keeping the string's other characters. */
export function fold(text: string): string {
  // Most abstracts are plain ASCII, where Unicode normalization would only cost time.
  if (isAscii(text)) return text.toLowerCase();
  return text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
}

/** Words of a text, folded, in order, with repeats. */
export function tokenize(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The key two titles share when they name the same paper: case, accents and punctuation ignored. */
export function titleKey(title: string): string {
  return tokenize(title).join(" ");
}

/** Whether an ASCII code (already lower-cased or not) is part of a word: a-z, A-Z, 0-9. */
export function isAsciiWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}

/** Remembered per UTF-16 unit: 0 not yet known, 1 word, 2 not a word. */
const unitClass = new Uint8Array(0x10000);

/** Whether a UTF-16 unit that is not half of a surrogate pair is part of a word (any script). */
export function isWordUnit(code: number): boolean {
  let known = unitClass[code]!;
  if (known === 0) unitClass[code] = known = WORD_CHAR.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/** Whether a code point beyond the 16-bit range (a surrogate pair) is part of a word. */
export function isWordCodePoint(codePoint: number): boolean {
  return WORD_CHAR.test(String.fromCodePoint(codePoint));
}

export const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
export const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Where the next word of `text` at or after `from` is: `found.start`, `found.end`; false when none is left. */
export function nextWord(text: string, from: number, found: { start: number; end: number }, ascii = isAscii(text)): boolean {
  if (!ascii) {
    WORD.lastIndex = from;
    const match = WORD.exec(text);
    if (!match) return false;
    found.start = match.index;
    found.end = match.index + match[0].length;
    return true;
  }
  // Plain ASCII (nearly every abstract): found without a regex match object.
  let i = from;
  while (i < text.length && !isAsciiWordChar(text.charCodeAt(i))) i++;
  if (i >= text.length) return false;
  found.start = i;
  while (i < text.length && isAsciiWordChar(text.charCodeAt(i))) i++;
  found.end = i;
  return true;
}
