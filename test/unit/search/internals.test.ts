import { describe, expect, it } from "vitest";
import { makePaper } from "../../../src/corpus/make-paper.ts";
import { FieldLengths, ImpactCalculator } from "../../../src/search/index/bm25f.ts";
import { documentFrequency, ImpactIndex, type Postings } from "../../../src/search/index/impact-index.ts";
import { TitleLookup } from "../../../src/search/index/title-lookup.ts";
import { parseQuery } from "../../../src/search/query/parse-query.ts";
import { rankQuery } from "../../../src/search/query/rank-query.ts";
import type { RankedPaper } from "../../../src/search/query/ranking.ts";
import { ScoreBoard } from "../../../src/search/query/score-board.ts";
import { TopK } from "../../../src/search/query/top-k.ts";
import { Analyzer } from "../../../src/search/text/analyzer.ts";
import { Vocabulary } from "../../../src/search/text/vocabulary.ts";
import { hashRange, WordTable } from "../../../src/search/text/word-table.ts";
import { seededRandom } from "../../../bench/stats.ts";

/** Postings as FlexSearch gives them: papers by impact slot. */
const slots = (bySlot: Record<number, number[]>): Postings => {
  const postings: number[][] = [];
  for (const [level, docs] of Object.entries(bySlot)) postings[Number(level)] = docs;
  return postings as Postings;
};

describe("TopK", () => {
  it("keeps the k best of any stream, best first, ties by lower doc, as a full sort would", () => {
    const random = seededRandom(1);
    for (let round = 0; round < 200; round++) {
      const k = Math.floor(random() * 12);
      const items = Array.from({ length: Math.floor(random() * 60) }, (_, doc) => ({ doc, key: Math.floor(random() * 8) }));
      const top = new TopK(k);
      for (const item of [...items].sort(() => random() - 0.5)) top.offer(item.doc, item.key);
      const sorted = [...items].sort((a, b) => b.key - a.key || a.doc - b.doc).slice(0, k).map((item) => item.doc);
      expect(top.best()).toEqual(sorted);
    }
  });
});

describe("ScoreBoard", () => {
  it("counts matched words and scores, and orders keyword results by words first, requests by score", () => {
    const board = new ScoreBoard();
    board.reset(10, 2);
    board.addWord(slots({ 0: [1], 10: [2, 3] }), 2);
    board.offer(slots({ 0: [3] }), 1);
    board.offer(slots({ 5: [3, 4] }), 1.5);
    board.endWord();
    expect([board.matched(1), board.matched(3), board.matched(4)]).toEqual([1, 2, 1]);
    expect(board.papersTouched).toBe(4);
    expect(board.papersComplete).toBe(1);
    // Paper 3 has both words; paper 1 one word with the best impact.
    expect(board.top(3, { wordsFirst: true, exactDoc: undefined })).toEqual([3, 1, 2]);
    expect(board.top(2, { wordsFirst: false, exactDoc: undefined })[0]).toBe(3);
    expect(board.top(2, { wordsFirst: false, exactDoc: 4 })).toEqual([4, 3]);
    expect(board.top(0, { wordsFirst: true, exactDoc: undefined })).toEqual([]);
  });

  it("starts each query clean", () => {
    const board = new ScoreBoard();
    board.reset(5, 1);
    board.addWord(slots({ 0: [0, 1] }), 1);
    board.reset(5, 1);
    board.addWord(slots({ 3: [2] }), 1);
    expect(board.papersTouched).toBe(1);
    expect(board.top(5, { wordsFirst: true, exactDoc: undefined })).toEqual([2]);
    expect(board.matched(0)).toBe(0);
  });
});

describe("WordTable", () => {
  it("keeps every id right through many rehashes, found case-insensitively where the word stands", () => {
    const table = new WordTable();
    const words = Array.from({ length: 70_000 }, (_, i) => `w${i.toString(36)}`);
    const ids = words.map((word) => table.intern(word, 0, word.length, hashRange(word, 0, word.length)));
    expect(new Set(ids).size).toBe(words.length);
    words.forEach((word, i) => expect(table.find(word)).toBe(ids[i]));
    const text = `see W1A0 here`;
    expect(table.findLowerCase(text, 4, 8, hashRange("w1a0", 0, 4))).toBe(table.find("w1a0"));
    expect(table.find("unknown")).toBe(-1);
  });
});

describe("TitleLookup", () => {
  // Two titles whose 32-bit hashes collide (found by search): each must still find its own paper.
  const titles = ["Paper 7pf8", "Paper orj6", "Graph Networks"];

  it("finds each paper by its normalized title, even when two titles share a hash", () => {
    const lookup = new TitleLookup((doc) => titles[doc]!);
    titles.forEach((title, doc) => lookup.set(title, doc));
    expect(lookup.get("paper 7PF8")).toBe(0);
    expect(lookup.get("Paper orj6!")).toBe(1);
    expect(lookup.get("graph-networks")).toBe(2);
    expect(lookup.get("Paper 7pf9")).toBeUndefined();
    lookup.delete("Paper orj6", 1);
    expect(lookup.get("Paper orj6")).toBeUndefined();
    expect(lookup.get("Paper 7pf8")).toBe(0);
  });
});

/** The engine's parts over some papers, put together by hand so that each can be driven directly. */
function parts(abstracts: string[]) {
  const analyzer = new Analyzer();
  const lengths = new FieldLengths();
  const calculator = new ImpactCalculator(analyzer, () => lengths);
  const papers = abstracts.map((abstract, i) => makePaper({ title: `Paper ${i}`, abstract, source: "test" }));
  for (const paper of papers) lengths.observe(calculator.fieldLengths(paper));
  const index = new ImpactIndex();
  papers.forEach((paper, doc) => {
    const distinct = calculator.compute(paper);
    index.add(doc, Array.from(calculator.terms.subarray(0, distinct), (id) => analyzer.term(id)), calculator.impacts.subarray(0, distinct));
  });
  const vocabulary = new Vocabulary(analyzer, (term) => documentFrequency(index.postings(term)), () => "1");
  return { analyzer, index, vocabulary, documents: papers.length };
}

describe("Vocabulary", () => {
  const { vocabulary } = parts(["diffusion models", "diffusing gases", "distillation of networks", "graphs and grapheme"]);

  it("offers a word's own term, completions of a prefix, and corrections of one typo", () => {
    expect(vocabulary.variants("networks")).toEqual([{ term: "network", kind: "exact" }]);
    expect(vocabulary.variants("netw")).toEqual([{ term: "network", kind: "prefix" }]);
    expect(vocabulary.variants("difusion")).toEqual([{ term: "diffus", kind: "typo" }]);
    expect(vocabulary.variants("graph", true).map((variant) => variant.term)).toEqual(["graph", "graphem"]);
    expect(vocabulary.variants("zzzz")).toEqual([]);
  });
});

describe("single-term ranking", () => {
  it("reads the same ranking straight from FlexSearch's slots as the score board adds up", () => {
    const random = seededRandom(7);
    const vocabulary = ["graph", "graphs", "grapheme", "network", "netlist", "robot", "robotics", "policy", "diffusion", "token", "model", "modular", "learning"];
    const abstracts = Array.from({ length: 300 }, () =>
      Array.from({ length: 5 + Math.floor(random() * 40) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(" "),
    );
    const { index, vocabulary: words, documents } = parts(abstracts);
    for (const word of vocabulary) {
      const query = parseQuery(word);
      const context = { index, vocabulary: words, documents, board: new ScoreBoard() };
      const fast = rankQuery(query, undefined, { ...context, inCorpusOrder: true });
      const board = rankQuery(query, undefined, { ...context, inCorpusOrder: false });
      expect([fast.total, fast.fullMatches]).toEqual([board.total, board.fullMatches]);
      const same = (a: RankedPaper[], b: RankedPaper[]) => {
        expect(a.map((paper) => [paper.doc, paper.matchedWords]), word).toEqual(b.map((paper) => [paper.doc, paper.matchedWords]));
        a.forEach((paper, i) => expect(paper.score).toBeCloseTo(b[i]!.score, 9));
      };
      same(fast.top(40), board.top(40));
      same(rankQuery(query, 17, { ...context, inCorpusOrder: true }).top(5), rankQuery(query, 17, { ...context, inCorpusOrder: false }).top(5));
      // A word being typed, with its completions ("gra" -> graph, ...): the same ranking too.
      const typing = parseQuery(word.slice(0, 3), true);
      same(rankQuery(typing, undefined, { ...context, inCorpusOrder: true }).top(40), rankQuery(typing, undefined, { ...context, inCorpusOrder: false }).top(40));
    }
  });
});
