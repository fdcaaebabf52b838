import { Document } from "flexsearch";
import { parseArxivReference, type Paper } from "../corpus/paper.ts";
import { snippet, type SnippetPart } from "./snippet.ts";
import { titleKey, tokenize } from "./tokenize.ts";
import { Vocabulary, type MatchKind } from "./vocabulary.ts";

/**
 * The search engine: FlexSearch finds which papers contain each term; we expand query words (prefixes,
 * typos) and rank. Ranking, in order: an exact id or title first; then papers matching more of the query's
 * words; then a score where a match in the title outweighs authors, which outweigh the abstract, an exact
 * word outweighs a prefix or typo, and rare words outweigh common ones (BM25's idf).
 */

export interface SearchHit {
  paper: Paper;
  score: number;
  /** How many of the query's words the paper matched. */
  matchedWords: number;
  /** Index terms that matched, for highlighting. */
  matchedTerms: string[];
  snippet: SnippetPart[];
}

export interface SearchPage {
  query: string;
  words: string[];
  /** Papers matching at least one word. */
  total: number;
  /** Papers matching every word (they come first). */
  fullMatches: number;
  page: number;
  pageSize: number;
  pageCount: number;
  hits: SearchHit[];
}

const FIELDS = ["title", "authors", "abstract"] as const;
type Field = (typeof FIELDS)[number];
const FIELD_WEIGHT: Record<Field, number> = { title: 3, authors: 2, abstract: 1 };
const KIND_WEIGHT: Record<MatchKind, number> = { exact: 1, prefix: 0.7, typo: 0.6 };
const MAX_QUERY_WORDS = 16;

interface IndexedPaper {
  [key: string]: string | number;
  id: number;
  title: string;
  authors: string;
  abstract: string;
}

interface Candidate {
  doc: number;
  wordScores: Map<string, number>;
  terms: Set<string>;
  score: number;
}

const termsOf = (paper: Paper) => tokenize(`${paper.title} ${paper.authors.join(" ")} ${paper.abstract}`);

export class SearchEngine {
  private readonly papers: Paper[] = [];
  private readonly byId = new Map<string, number>();
  private readonly byTitle = new Map<string, number>();
  private readonly vocabulary = new Vocabulary();
  private readonly index = new Document<IndexedPaper>({
    document: {
      id: "id",
      index: FIELDS.map((field) => ({ field, tokenize: "strict" as const, resolution: 9, encode: tokenize })),
    },
  });

  constructor(papers: Iterable<Paper> = []) {
    for (const paper of papers) this.add(paper);
  }

  get size(): number {
    return this.papers.length;
  }

  /** Adds a paper, or replaces the one with the same id. */
  add(paper: Paper): void {
    const existing = this.byId.get(paper.id);
    const doc = existing ?? this.papers.length;
    const replaced = existing === undefined ? undefined : this.papers[existing];
    if (replaced) {
      this.index.remove(doc);
      this.vocabulary.removeDocument(termsOf(replaced));
      this.byTitle.delete(titleKey(replaced.title));
    }
    this.papers[doc] = paper;
    this.byId.set(paper.id, doc);
    this.byTitle.set(titleKey(paper.title), doc);
    this.vocabulary.addDocument(termsOf(paper));
    this.index.add({ id: doc, title: paper.title, authors: paper.authors.join(", "), abstract: paper.abstract });
  }

  all(): readonly Paper[] {
    return this.papers;
  }

  get(id: string): Paper | undefined {
    const doc = this.byId.get(id.trim()) ?? this.byId.get(parseArxivReference(id) ?? "");
    return doc === undefined ? undefined : this.papers[doc];
  }

  /** The paper a query names exactly, by id (bare, versioned or as a URL) or by its full title. */
  exact(query: string): Paper | undefined {
    const doc = this.byTitle.get(titleKey(query));
    return this.get(query) ?? (doc === undefined ? undefined : this.papers[doc]);
  }

  search(query: string, options: { page?: number; pageSize?: number } = {}): SearchPage {
    const pageSize = Math.max(1, options.pageSize ?? 5);
    const ranked = this.rank(query);
    const pageCount = Math.max(1, Math.ceil(ranked.hits.length / pageSize));
    const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
    const hits = ranked.hits.slice((page - 1) * pageSize, page * pageSize).map((candidate) => this.toHit(candidate, ranked.words.length));
    return {
      query,
      words: ranked.words,
      total: ranked.hits.length,
      fullMatches: ranked.hits.filter((hit) => hit.wordScores.size === ranked.words.length).length,
      page,
      pageSize,
      pageCount,
      hits,
    };
  }

  /** Every paper matching the query, best first, without snippets: for random picks and digests. */
  matching(query: string): Paper[] {
    return this.rank(query).hits.map((candidate) => this.papers[candidate.doc]!);
  }

  /** Papers to suggest while a user types: the named paper, then the best matches; the first papers when empty. */
  suggest(text: string, limit: number): Paper[] {
    if (!text.trim()) return this.papers.slice(0, limit);
    return this.rank(text).hits.slice(0, limit).map((candidate) => this.papers[candidate.doc]!);
  }

  private rank(query: string): { words: string[]; hits: Candidate[] } {
    const words = [...new Set(tokenize(query))].slice(0, MAX_QUERY_WORDS);
    const candidates = new Map<number, Candidate>();
    for (const word of words) {
      const wordIdf = this.idf(word);
      for (const variant of this.vocabulary.variants(word)) {
        // A completion or correction never counts for more than the word typed: "graph" must not rank
        // "grapheme" above "graph" because the longer word is rarer.
        const idf = Math.min(this.idf(variant.term), wordIdf);
        for (const { field, result } of this.lookup(variant.term)) {
          const weight = FIELD_WEIGHT[field] * KIND_WEIGHT[variant.kind] * idf;
          result.forEach((doc, rank) => {
            // Earlier in FlexSearch's list means the word stands earlier in the field: a slight boost.
            const score = weight * (1 - (0.1 * rank) / result.length);
            const candidate = candidates.get(doc) ?? { doc, wordScores: new Map(), terms: new Set(), score: 0 };
            candidates.set(doc, candidate);
            candidate.terms.add(variant.term);
            if (score > (candidate.wordScores.get(word) ?? 0)) candidate.wordScores.set(word, score);
          });
        }
      }
    }
    const exact = this.exact(query);
    const exactDoc = exact ? this.byId.get(exact.id) : undefined;
    if (exactDoc !== undefined && !candidates.has(exactDoc)) {
      candidates.set(exactDoc, { doc: exactDoc, wordScores: new Map(), terms: new Set(), score: 0 });
    }
    const hits = [...candidates.values()];
    for (const hit of hits) hit.score = [...hit.wordScores.values()].reduce((sum, value) => sum + value, 0);
    hits.sort(
      (a, b) =>
        Number(b.doc === exactDoc) - Number(a.doc === exactDoc) ||
        b.wordScores.size - a.wordScores.size ||
        b.score - a.score ||
        a.doc - b.doc,
    );
    return { words, hits };
  }

  private lookup(term: string): Array<{ field: Field; result: number[] }> {
    return this.index.search(term, { limit: Math.max(1, this.papers.length) }) as unknown as Array<{ field: Field; result: number[] }>;
  }

  private idf(term: string): number {
    const df = this.vocabulary.documentFrequency(term);
    return Math.log(1 + (this.papers.length - df + 0.5) / (df + 0.5));
  }

  private toHit(candidate: Candidate, wordCount: number): SearchHit {
    const paper = this.papers[candidate.doc]!;
    return {
      paper,
      score: Math.round(candidate.score * 1000) / 1000,
      matchedWords: Math.min(candidate.wordScores.size, wordCount),
      matchedTerms: [...candidate.terms],
      snippet: snippet(paper.abstract, candidate.terms),
    };
  }
}
