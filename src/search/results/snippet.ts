import { isAscii, nextWord, tokenize } from "../../text/words.ts";

/** A piece of a snippet; `match` pieces are the words the query matched, shown in bold. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

/** Whether the word text[start, end) matched the query. */
export type WordMatch = (text: string, start: number, end: number) => boolean;

const ELLIPSIS = "…";

/**
 * A short window of `text` around the first matched word, cut at word boundaries, with the matched words
 * marked. Without a match it is the text's beginning. `matched`: the folded words that matched, or a test
 * on a word where it stands (the engine's, which compares stems without cutting the word out). Words are
 * read lazily, up to the window's end: a page of results used to tokenize ten whole abstracts.
 */
export function snippet(text: string, matched: ReadonlySet<string> | WordMatch, maxLength = 220): SnippetPart[] {
  const isMatch: WordMatch =
    typeof matched === "function" ? matched : (source, start, end) => tokenize(source.slice(start, end)).some((word) => matched.has(word));
  const ascii = isAscii(text);
  const word = { start: 0, end: 0 };
  let first = -1;
  for (let at = 0; first === -1 && nextWord(text, at, word, ascii); at = word.end) if (isMatch(text, word.start, word.end)) first = word.start;
  let start = first === -1 ? 0 : Math.max(0, first - Math.floor(maxLength / 4));
  let end = Math.min(text.length, start + maxLength);
  start = wordBoundaryAfter(text, start);
  end = end < text.length ? wordBoundaryBefore(text, end, start) : end;
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: ELLIPSIS, match: false });
  let cursor = start;
  for (let at = start; nextWord(text, at, word, ascii) && word.end <= end; at = word.end) {
    if (!isMatch(text, word.start, word.end)) continue;
    if (word.start > cursor) parts.push({ text: text.slice(cursor, word.start), match: false });
    parts.push({ text: text.slice(word.start, word.end), match: true });
    cursor = word.end;
  }
  if (end > cursor) parts.push({ text: text.slice(cursor, end), match: false });
  if (end < text.length) parts.push({ text: ELLIPSIS, match: false });
  return parts;
}

/** Moves `index` forward past a partial word, unless it is already at the start of one. */
function wordBoundaryAfter(text: string, index: number): number {
  if (index === 0 || /\s/.test(text[index - 1] ?? "")) return index;
  const space = text.indexOf(" ", index);
  return space === -1 ? index : space + 1;
}

/** Moves `index` back to the end of the last whole word, never before `floor`. */
function wordBoundaryBefore(text: string, index: number, floor: number): number {
  const space = text.lastIndexOf(" ", index);
  return space > floor ? space : index;
}
