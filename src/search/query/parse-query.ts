import { tokenize } from "../../text/words.ts";
import { analyzeWord } from "../text/analyzer.ts";
import { KEYWORD_PARTS, MAX_QUERY_WORDS } from "../tuning.ts";

/** What a query asks for. */
export interface ParsedQuery {
  /** Distinct words that count, folded: no stop words, one word per term ("model models" is one). */
  words: string[];
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
  const byTerm = new Map<string, string>();
  let contentParts = 0;
  const parts = text.split(/\s+/).filter(Boolean);
  parts.forEach((part) => {
    let content = false;
    for (const word of tokenize(part)) {
      const term = analyzeWord(word);
      if (!term) continue;
      content = true;
      if (!byTerm.has(term)) byTerm.set(term, word);
    }
    if (content) contentParts++;
  });
  const words = [...byTerm.values()];
  const last = tokenize(parts.at(-1) ?? "").at(-1);
  const lastIsPrefix = typing && last !== undefined && !/\s$/.test(text);
  if (!lastIsPrefix) return { words: words.slice(0, MAX_QUERY_WORDS), lastIsPrefix, keywords: contentParts <= KEYWORD_PARTS };
  // The unfinished word goes last, even when it looks like a stop word ("fo" on the way to "foundation").
  const lastTerm = analyzeWord(last);
  const others = words.filter((word) => word !== last && (!lastTerm || analyzeWord(word) !== lastTerm));
  return { words: [...others.slice(0, MAX_QUERY_WORDS - 1), last], lastIsPrefix, keywords: contentParts <= KEYWORD_PARTS };
}
