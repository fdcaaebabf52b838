/**
 * The one tokenizer shared by the index, the query parser and the snippet highlighter, so that what is
 * indexed, what is searched and what is shown in bold always agree. Case, accents and punctuation do not
 * matter: "Self-Distillation" and "self distillation" give the same terms.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cases and strips accents ("Café" -> "cafe"), keeping the string's other characters. */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
}

/** Terms of a text, in order, with repeats. */
export function tokenize(text: string): string[] {
  return fold(text).match(WORD) ?? [];
}

export interface TokenSpan {
  term: string;
  start: number;
  end: number;
}

/**
 * Terms with their character offsets in the original text, for highlighting. Folding can change a
 * word's length (NFKD), so each word of the original is folded on its own.
 */
export function tokenSpans(text: string): TokenSpan[] {
  const spans: TokenSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index ?? 0;
    for (const term of tokenize(match[0])) spans.push({ term, start, end: start + match[0].length });
  }
  return spans;
}

/** The key two titles share when they name the same paper: case, accents and punctuation ignored. */
export function titleKey(title: string): string {
  return tokenize(title).join(" ");
}
