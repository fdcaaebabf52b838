import { ListingOrder } from "../corpus/listing-order.ts";
import { parseArxivReference, type Paper } from "../corpus/paper.ts";
import { FieldLengths, idf, ImpactCalculator } from "./index/bm25f.ts";
import { documentFrequency, ImpactIndex, type CompactPostings } from "./index/impact-index.ts";
import { PostingsBuilder } from "./index/postings-builder.ts";
import { TitleLookup } from "./index/title-lookup.ts";
import { fuseRankings } from "./query/fusion.ts";
import { parseQuery } from "./query/parse-query.ts";
import { rankQuery } from "./query/rank-query.ts";
import type { Ranking } from "./query/ranking.ts";
import { ScoreBoard } from "./query/score-board.ts";
import { moreLikeThis } from "./query/more-like-this.ts";
import { papersWithAll, topicTerms } from "./query/topics.ts";
import { toHit, type SearchHit } from "./results/hit.ts";
import { titleKey } from "../text/words.ts";
import { Analyzer, type AnalyzerState } from "./text/analyzer.ts";
import { Vocabulary } from "./text/vocabulary.ts";
import { FIELDS, LENGTH_SAMPLE, MEANING_WEIGHT } from "./tuning.ts";

/**
 * The search engine. A query passes, in order:
 *
 *   text/     analyzer.ts      words (src/text/words.ts) → index terms: stop words dropped, stemmed
 *   query/    parse-query.ts   the query's words; keywords or a natural-language request
 *   text/     vocabulary.ts    each word's variants: its own term, completions, one-typo corrections
 *   index/    impact-index.ts  each variant's postings from FlexSearch, filed by BM25F impact (bm25f.ts)
 *   query/    rank-query.ts    weights added up on the score-board.ts; top-k.ts picks a page
 *   results/  hit.ts           the page's papers with snippets and the matched words marked
 *
 * Ranking, in order: an exact id or title first; then, for keyword queries, papers matching more of the
 * words; then the BM25F score (every constant in tuning.ts). Autocomplete runs the same pipeline over a
 * second, title-only index. open-search.ts builds an engine from the corpus or restores it from a snapshot.
 */

export type { SearchHit };

export interface SearchPage {
  query: string;
  /** The query's words that count: folded, without stop words ("the", "of"), at most 32. */
  words: string[];
  /** Papers matching at least one word. */
  total: number;
  /** Papers matching every word (they come first for keyword queries). */
  fullMatches: number;
  /** A natural-language request (ranked by score), not keywords (papers with every word first). */
  question: boolean;
  /** Ranked by words and by meaning (an embeddings endpoint), not by words alone. */
  byMeaning: boolean;
  page: number;
  pageSize: number;
  pageCount: number;
  hits: SearchHit[];
}

/** What the engine knows besides the papers, for snapshots (src/search/snapshot.ts). */
export interface EngineState {
  lengths: ReturnType<FieldLengths["toJSON"]>;
  inCorpusOrder: boolean;
  analyzer: AnalyzerState;
  index: CompactPostings;
  titles: CompactPostings;
}

export class SearchEngine {
  private readonly papers: Paper[] = [];
  private readonly byId = new Map<string, number>();
  private readonly byTitle = new TitleLookup((doc) => this.papers[doc]!.title);
  private readonly analyzer = new Analyzer();
  private readonly index = new ImpactIndex();
  private readonly titles = new ImpactIndex();
  private lengths = new FieldLengths();
  /** Whether the average field lengths are settled; an engine started empty learns them from its first papers. */
  private lengthsSettled = false;
  /** False once a paper was replaced: its postings then sit at the end of their slots, out of corpus order. */
  private inCorpusOrder = true;
  private changes = 0;
  private readonly listing = new ListingOrder(this.papers);
  private readonly board = new ScoreBoard();
  private readonly impacts = new ImpactCalculator(this.analyzer, () => this.lengths);
  private readonly vocabulary = new Vocabulary(
    this.analyzer,
    (term) => documentFrequency(this.index.postings(term)),
    () => String(this.changes),
  );

  constructor(papers: Iterable<Paper> = []) {
    const list = Array.isArray(papers) ? (papers as Paper[]) : [...papers];
    if (list.length === 0) return;
    // Every paper's weights need the average field lengths: take them from an even sample first.
    const step = Math.max(1, list.length / LENGTH_SAMPLE);
    for (let i = 0; i < list.length; i += step) this.lengths.observe(this.impacts.fieldLengths(list[Math.floor(i)]!));
    this.lengthsSettled = true;
    // Room for the postings up front (a paper has about three distinct terms for every four words).
    const words = FIELDS.reduce((sum, field) => sum + this.lengths.average(field), 0);
    const main = new PostingsBuilder(Math.ceil(list.length * words * 0.75));
    const titles = new PostingsBuilder();
    const replacing: Paper[] = [];
    for (const paper of list) {
      if (this.byId.has(paper.id)) {
        replacing.push(paper);
        continue;
      }
      const doc = this.papers.length;
      this.remember(paper, doc);
      const { impacts } = this;
      const distinct = impacts.compute(paper);
      main.add(doc, impacts.terms, impacts.impacts, distinct);
      titles.add(doc, impacts.terms, impacts.titleImpacts, impacts.titleTerms);
    }
    const name = (id: number) => this.analyzer.term(id);
    this.index.load(main, this.analyzer.termCount, name);
    this.titles.load(titles, this.analyzer.termCount, name);
    this.changes++;
    for (const paper of replacing) this.add(paper);
  }

  /** An engine from a snapshot's papers and state, without re-indexing. */
  static restore(papers: readonly Paper[], state: EngineState): SearchEngine {
    const engine = new SearchEngine();
    engine.lengths = FieldLengths.fromJSON(state.lengths);
    engine.lengthsSettled = true;
    engine.inCorpusOrder = state.inCorpusOrder;
    engine.analyzer.restore(state.analyzer);
    engine.index.importCompact(state.index);
    engine.titles.importCompact(state.titles);
    papers.forEach((paper, doc) => engine.remember(paper, doc));
    engine.changes++;
    return engine;
  }

  exportState(): EngineState {
    return {
      lengths: this.lengths.toJSON(),
      inCorpusOrder: this.inCorpusOrder,
      analyzer: this.analyzer.exportState(),
      index: this.index.exportCompact(),
      titles: this.titles.exportCompact(),
    };
  }

  /** Does now what the first prefix query would otherwise wait for (sorting the vocabulary). */
  prepare(): void {
    this.vocabulary.refresh();
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
      // Out of the lists of the terms it had (analyzed again: the index keeps no list of a paper's terms).
      const { impacts } = this;
      const terms = this.analyzedTerms(replaced);
      this.index.remove(doc, terms, impacts.impacts);
      this.titles.remove(doc, terms.slice(0, impacts.titleTerms), impacts.titleImpacts);
      this.byTitle.delete(replaced.title, doc);
      this.inCorpusOrder = false;
    }
    this.remember(paper, doc);
    if (!this.lengthsSettled) {
      this.lengths.observe(this.impacts.fieldLengths(paper));
      this.lengthsSettled = this.lengths.papers >= LENGTH_SAMPLE;
    }
    const { impacts } = this;
    const terms = this.analyzedTerms(paper);
    this.index.add(doc, terms, impacts.impacts.subarray(0, terms.length));
    this.titles.add(doc, terms.slice(0, impacts.titleTerms), impacts.titleImpacts.subarray(0, impacts.titleTerms));
    this.listing.touch(doc);
    this.changes++;
  }

  all(): readonly Paper[] {
    return this.papers;
  }

  /** Every paper, newest listing first (src/corpus/listing-order.ts): sorted once, then kept up to date as papers are added. */
  newestFirst(): Iterable<Paper> {
    return this.listing.papers();
  }

  /** The same order, each paper with its sortable listing date ("2024-08-04", "2024-08", "2024"; "" when undated). */
  newestFirstDated(): Iterable<{ paper: Paper; date: string }> {
    return this.listing.dated();
  }

  get(id: string): Paper | undefined {
    const doc = this.byId.get(id.trim()) ?? this.byId.get(parseArxivReference(id) ?? "");
    return doc === undefined ? undefined : this.papers[doc];
  }

  /** The paper a query names exactly, by id (bare, versioned or as a URL) or by its full title. */
  exact(query: string): Paper | undefined {
    const doc = this.byTitle.get(query);
    return this.get(query) ?? (doc === undefined ? undefined : this.papers[doc]);
  }

  /**
   * A page of results. `similar`: the papers closest in meaning to the query with their similarity, best first (from
   * src/embeddings/), fused with the ranking by words when the query is a natural-language request.
   */
  search(query: string, options: { page?: number; pageSize?: number; similar?: ReadonlyArray<{ id: string; score: number }>; meaningWeight?: number } = {}): SearchPage {
    const pageSize = Math.max(1, options.pageSize ?? 5);
    const lexical = this.rank(query, this.index, false);
    const ranking = options.similar && !lexical.keywords ? fuseRankings(lexical, options.similar.flatMap(({ id, score }) => (this.byId.has(id) ? [{ doc: this.byId.get(id)!, score }] : [])), options.meaningWeight ?? MEANING_WEIGHT) : lexical;
    const pageCount = Math.max(1, Math.ceil(ranking.total / pageSize));
    const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
    const ranked = ranking.top(page * pageSize).slice((page - 1) * pageSize);
    return {
      query,
      words: ranking.words,
      total: ranking.total,
      fullMatches: ranking.fullMatches,
      question: !lexical.keywords,
      byMeaning: ranking !== lexical,
      page,
      pageSize,
      pageCount,
      hits: ranked.map((ranked) => toHit(this.papers[ranked.doc]!, ranked, ranking, this.analyzer)),
    };
  }

  /** How informative a term is here (BM25's idf): what extractive answers weigh a question's words by. */
  informativeness(term: string): number {
    return idf(documentFrequency(this.index.postings(term)), this.papers.length);
  }

  /**
   * Papers most like `paper` ("more like this", src/search/query/more-like-this.ts): its distinctive terms
   * as a weighted query; itself, and another record of it under the same title, left out.
   */
  related(paper: Paper, limit: number): Paper[] {
    const { impacts } = this;
    const terms = this.analyzedTerms(paper).map((term, i) => ({ term, impact: impacts.impacts[i]! }));
    const self = this.byId.get(paper.id);
    const title = titleKey(paper.title);
    return moreLikeThis(terms, this.index, this.papers.length, { exclude: new Set(self === undefined ? [] : [self]), limit: limit + 1 })
      .map(({ doc }) => this.papers[doc]!)
      .filter((other) => titleKey(other.title) !== title)
      .slice(0, limit);
  }

  /** The index terms of a paper (stemmed, without stop words), as topics match them: for testing new papers against many topics. */
  termsOf(paper: Paper): Set<string> {
    return new Set(this.analyzedTerms(paper));
  }

  /** A paper's distinct terms, in the order of the impact calculator's buffers, which it leaves filled (impacts, title terms). */
  private analyzedTerms(paper: Paper): string[] {
    const distinct = this.impacts.compute(paper);
    return Array.from(this.impacts.terms.subarray(0, distinct), (id) => this.analyzer.term(id));
  }

  /** Whether a query is a natural-language request (ranked by score, and by meaning too when there is one) rather than keywords. */
  isRequest(query: string): boolean {
    return !parseQuery(query).keywords;
  }

  /**
   * Papers on a topic (src/search/query/topics.ts), in corpus order: those with every word of one of the
   * `include` phrases (every paper when there is none) and not with every word of an `exclude` phrase.
   */
  onTopic(include: readonly string[], exclude: readonly string[] = []): Paper[] {
    const on = this.topicMask(include, exclude);
    return this.papers.filter((_, doc) => on[doc] === 1);
  }

  /** The same topic as a test of one paper: for walking a list (newestFirst()) without collecting the topic's papers. */
  topicTest(include: readonly string[], exclude: readonly string[] = []): (paper: Paper) => boolean {
    const on = this.topicMask(include, exclude);
    return (paper) => on[this.byId.get(paper.id) ?? -1] === 1;
  }

  /** 1 for each paper on the topic, by position. */
  private topicMask(include: readonly string[], exclude: readonly string[]): Uint8Array {
    const on = new Uint8Array(this.papers.length);
    if (include.length === 0) on.fill(1);
    for (const phrase of include) for (const doc of papersWithAll(this.index, topicTerms(phrase), this.papers.length)) on[doc] = 1;
    for (const phrase of exclude) for (const doc of papersWithAll(this.index, topicTerms(phrase), this.papers.length)) on[doc] = 0;
    return on;
  }

  /**
   * Papers to suggest while a user types: the named paper, then titles with the words typed, the last one
   * possibly unfinished; papers that have them elsewhere when titles are not enough. The first papers when
   * nothing is typed.
   */
  suggest(text: string, limit: number): Paper[] {
    if (!text.trim()) return this.papers.slice(0, limit);
    const docs = this.rank(text, this.titles, true)
      .top(limit)
      .map(({ doc }) => doc);
    if (docs.length < limit) {
      const more = this.rank(text, this.index, true).top(limit);
      for (const { doc } of more) if (docs.length < limit && !docs.includes(doc)) docs.push(doc);
    }
    return docs.map((doc) => this.papers[doc]!);
  }

  private remember(paper: Paper, doc: number): void {
    this.papers[doc] = paper;
    this.byId.set(paper.id, doc);
    this.byTitle.set(paper.title, doc);
  }

  private rank(query: string, index: ImpactIndex, typing: boolean): Ranking {
    const exact = this.exact(query);
    const exactDoc = exact ? this.byId.get(exact.id) : undefined;
    const { board, vocabulary, inCorpusOrder } = this;
    return rankQuery(parseQuery(query, typing), exactDoc, { index, vocabulary, board, documents: this.papers.length, inCorpusOrder, titles: index === this.index ? this.titles : undefined });
  }
}
