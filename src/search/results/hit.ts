import type { Paper } from "../../corpus/paper.ts";
import { tokenize } from "../../text/words.ts";
import type { RankedPaper, Ranking } from "../query/ranking.ts";
import type { Analyzer } from "../text/analyzer.ts";
import { matchingWords, wordMatcher } from "./highlight.ts";
import { snippet, type SnippetPart } from "./snippet.ts";

export interface SearchHit {
  paper: Paper;
  score: number;
  /** How many of the query's words the paper matched. */
  matchedWords: number;
  /** Words of the title and snippet that matched (folded, as written): what a reply shows in bold. */
  matchedTerms: string[];
  snippet: SnippetPart[];
}

/** A ranked paper as a result: its score rounded for display, and a snippet with the matched words marked. */
export function toHit(paper: Paper, { score, matchedWords }: RankedPaper, ranking: Ranking, analyzer: Analyzer): SearchHit {
  const isMatch = wordMatcher(analyzer, ranking.terms);
  const parts = snippet(paper.abstract, isMatch);
  const shown = [...matchingWords(paper.title, isMatch), ...parts.filter((part) => part.match).map((part) => part.text)];
  return {
    paper,
    score: Math.round(score * 1000) / 1000,
    matchedWords: Math.min(matchedWords, ranking.words.length),
    matchedTerms: [...new Set(shown.flatMap((text) => tokenize(text)))],
    snippet: parts,
  };
}
