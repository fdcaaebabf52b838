import { tokenize } from "../../text/words.ts";
import { analyzeWord } from "../text/analyzer.ts";
import { KEYWORD_PARTS, MAX_QUERY_WORDS } from "../tuning.ts";

/** What a query asks for. */
export interface ParsedQuery {
  /** Distinct words that count, folded, in order: no stop words, one word per term ("model models" is one). */
  words: string[];
  /** How often each word's term occurs in the query: a question that repeats a word cares about it more. */
  counts: number[];
  /** The last word is still being typed (autocomplete): it also matches as the start of longer words. */
  lastIsPrefix: boolean;
  /**
   * Keywords ("graph neural networks"), as opposed to a natural-language request ("papers about how
   * compilers for several machines are built"): papers with every word come first. A request's words are
   * hints, any of which a relevant paper may lack, so it is ranked by score alone.
   */
  keywords: boolean;
}

/** `typing`: the text is being typed, so its last word may be unfinished unless a space follows it. */
export function parseQuery(text: string, typing = false): ParsedQuery {
  const byTerm = new Map<string, { word: string; count: number }>();
  let contentParts = 0;
  const parts = text.split(/\s+/).filter(Boolean);
  parts.forEach((part) => {
    let content = false;
    for (const word of tokenize(part)) {
      const term = analyzeWord(word);
      if (!term) continue;
      content = true;
      const seen = byTerm.get(term);
      if (seen) seen.count++;
      else byTerm.set(term, { word, count: 1 });
    }
    if (content) contentParts++;
  });
  let entries = [...byTerm.values()];
  const keywords = contentParts <= KEYWORD_PARTS;
  const last = tokenize(parts.at(-1) ?? "").at(-1);
  const lastIsPrefix = typing && last !== undefined && !/\s$/.test(text);
  if (lastIsPrefix) {
    // The unfinished word goes last, even when it looks like a stop word ("fo" on the way to "foundation").
    const lastTerm = analyzeWord(last);
    entries = [...entries.filter(({ word }) => word !== last && (!lastTerm || analyzeWord(word) !== lastTerm)).slice(0, MAX_QUERY_WORDS - 1), { word: last, count: 1 }];
  }
  return { words: entries.map((entry) => entry.word), counts: entries.map((entry) => entry.count), lastIsPrefix, keywords };
}
