/**
 * The one tokenizer shared by the index, the query parser and the snippet highlighter, so that what is
 * indexed, what is searched and what is shown in bold always agree. Case, accents and punctuation do not
 * matter: "Self-Distillation" and "self distillation" give the same terms.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const WORD = /[\p{L}\p{N}]+/gu;
const NON_ASCII = /[^\x00-\x7f]/;

/** Lower-cases and strips accents ("Café" -> "cafe"), keeping the string's other characters. */
export function fold(text: string): string {
  // Most abstracts are plain ASCII: Unicode normalization would only cost time (a third of indexing).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
}

/** Terms of a text, in order, with repeats. */
export function tokenize(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

/** The key two titles share when they name the same paper: case, accents and punctuation ignored. */
export function titleKey(title: string): string {
  return tokenize(title).join(" ");
}

/** Where the next word of `text` at or after `from` is: `found.start`, `found.end`; false when none is left. */
export function nextWord(text: string, from: number, found: { start: number; end: number }, ascii = !NON_ASCII.test(text)): boolean {
  if (!ascii) {
    WORD.lastIndex = from;
    const match = WORD.exec(text);
    if (!match) return false;
    found.start = match.index;
    found.end = match.index + match[0].length;
    return true;
  }
  // Plain ASCII (nearly every abstract): a word is a run of letters and digits, found without a regex match object.
  let i = from;
  while (i < text.length && !isAsciiWordChar(text.charCodeAt(i))) i++;
  if (i >= text.length) return false;
  found.start = i;
  while (i < text.length && isAsciiWordChar(text.charCodeAt(i))) i++;
  found.end = i;
  return true;
}

function isAsciiWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
}
