/**
 * Sentences of an abstract, for extractive answers. One pass over the text, linear in its length: a
 * sentence ends at ".", "!" or "?" followed by a space and a capital, a digit or an opening bracket,
 * unless the word before is a common abbreviation ("e.g.", "et al.", "Fig.").
 */

const ABBREVIATIONS = new Set(["e.g", "i.e", "al", "fig", "figs", "eq", "eqs", "vs", "cf", "etc", "approx", "resp", "sec", "no", "dr", "prof", "mr", "ms", "ref", "refs"]);

export interface Sentence {
  text: string;
  /** Its position among the text's sentences. */
  index: number;
}

export function sentences(text: string): Sentence[] {
  const found: Sentence[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== "." && char !== "!" && char !== "?") continue;
    if (text[i + 1] !== " " || !/[A-Z0-9([]/.test(text[i + 2] ?? "")) continue;
    if (char === "." && ABBREVIATIONS.has(lastWord(text, start, i))) continue;
    push(found, text.slice(start, i + 1));
    start = i + 2;
  }
  push(found, text.slice(start));
  return found;
}

function push(found: Sentence[], text: string): void {
  const trimmed = text.trim();
  if (trimmed) found.push({ text: trimmed, index: found.length });
}

/** The word just before `end`, lower-cased, from no earlier than `start` (at most 8 characters back). */
function lastWord(text: string, start: number, end: number): string {
  let from = end;
  while (from > start && from > end - 8 && /[A-Za-z.]/.test(text[from - 1]!)) from--;
  return text.slice(from, end).toLowerCase();
}
