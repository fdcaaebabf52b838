import { tokenSpans } from "./tokenize.ts";

/** A piece of a snippet; `match` pieces are the words the query matched, shown in bold. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

const ELLIPSIS = "…";

/**
 * A short window of `text` around the first matched word, cut at word boundaries, with the matched words
 * marked. Without a match it is the text's beginning.
 */
export function snippet(text: string, matched: ReadonlySet<string>, maxLength = 220): SnippetPart[] {
  const spans = tokenSpans(text);
  const first = spans.find((span) => matched.has(span.term));
  let start = first ? Math.max(0, first.start - Math.floor(maxLength / 4)) : 0;
  let end = Math.min(text.length, start + maxLength);
  start = wordBoundaryAfter(text, start);
  end = end < text.length ? wordBoundaryBefore(text, end, start) : end;
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: ELLIPSIS, match: false });
  let cursor = start;
  for (const span of spans) {
    if (span.start < start || span.end > end || !matched.has(span.term) || span.start < cursor) continue;
    if (span.start > cursor) parts.push({ text: text.slice(cursor, span.start), match: false });
    parts.push({ text: text.slice(span.start, span.end), match: true });
    cursor = span.end;
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
