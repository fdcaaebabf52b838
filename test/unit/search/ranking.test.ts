import { describe, expect, it } from "vitest";
import { SearchEngine } from "../../../src/search/engine.ts";
import { paper } from "../../helpers/papers.ts";

const titles = (engine: SearchEngine, query: string) => engine.search(query, { pageSize: 50 }).hits.map((hit) => hit.paper.title);

describe("search ranking", () => {
  it("ranks a title match above an abstract-only match", () => {
    const engine = new SearchEngine([
      paper({ title: "A study of optimizers", abstract: "We compare transformers and recurrent networks on many tasks." }),
      paper({ title: "Transformers for tabular data", abstract: "We study tabular data." }),
    ]);
    expect(titles(engine, "transformers")).toEqual(["Transformers for tabular data", "A study of optimizers"]);
  });

  it("ranks papers matching every word above papers matching some, whatever the field", () => {
    const engine = new SearchEngine([
      paper({ title: "Graph networks", abstract: "Message passing." }),
      paper({ title: "Learning things", abstract: "We apply graph methods to molecules." }),
    ]);
    const result = engine.search("graph molecules");
    expect(result.hits.map((hit) => hit.paper.title)).toEqual(["Learning things", "Graph networks"]);
    expect(result.fullMatches).toBe(1);
    expect(result.total).toBe(2);
    expect(result.hits[0]!.matchedWords).toBe(2);
  });

  it("ignores case, accents and punctuation", () => {
    const engine = new SearchEngine([paper({ title: "Self-Distillation in Café Networks", abstract: "" })]);
    for (const query of ["self-distillation", "SELF DISTILLATION", "self distillation!", "cafe", "CAFÉ"]) {
      expect(titles(engine, query), query).toEqual(["Self-Distillation in Café Networks"]);
    }
  });

  it("finds a word by its prefix", () => {
    const engine = new SearchEngine([paper({ title: "Knowledge Distillation for Detection" }), paper({ title: "Unrelated" })]);
    expect(titles(engine, "distil")).toEqual(["Knowledge Distillation for Detection"]);
  });

  it("finds a word with one typo", () => {
    const engine = new SearchEngine([paper({ title: "Diffusion Models Beat GANs" }), paper({ title: "Unrelated" })]);
    expect(titles(engine, "difusion")).toEqual(["Diffusion Models Beat GANs"]);
    expect(titles(engine, "diffsuion")).toEqual(["Diffusion Models Beat GANs"]);
  });

  it("never ranks a completion of a common word above the word itself", () => {
    const engine = new SearchEngine([
      paper({ title: "Graphemes and phonemes" }),
      paper({ title: "Graph neural networks" }),
      paper({ title: "Graph kernels" }),
    ]);
    expect(titles(engine, "graph").slice(0, 2).sort()).toEqual(["Graph kernels", "Graph neural networks"]);
  });

  it("puts the paper named by an arXiv id or an exact title first", () => {
    const engine = new SearchEngine([
      paper({ title: "Attention is all you need, again", abstract: "attention attention" }),
      paper({ id: "1706.03762", title: "Attention Is All You Need", abstract: "The dominant sequence transduction models." }),
    ]);
    expect(titles(engine, "attention is all you need")[0]).toBe("Attention Is All You Need");
    for (const reference of ["1706.03762", "1706.03762v5", "arXiv:1706.03762", "https://arxiv.org/abs/1706.03762v2"]) {
      expect(engine.search(reference).hits[0]?.paper.id, reference).toBe("1706.03762");
    }
  });

  it("matches authors", () => {
    const engine = new SearchEngine([paper({ title: "Some paper", authors: ["Geoffrey Hinton"] }), paper({ title: "Other" })]);
    expect(titles(engine, "hinton")).toEqual(["Some paper"]);
  });

  it("paginates with a total, clamping pages out of range", () => {
    const engine = new SearchEngine(Array.from({ length: 12 }, (_, i) => paper({ title: `Robot paper ${i}` })));
    const second = engine.search("robot", { page: 2 });
    expect(second).toMatchObject({ total: 12, page: 2, pageCount: 3, pageSize: 5 });
    expect(second.hits).toHaveLength(5);
    expect(engine.search("robot", { page: 3 }).hits).toHaveLength(2);
    expect(engine.search("robot", { page: 99 }).page).toBe(3);
    const all = [1, 2, 3].flatMap((page) => engine.search("robot", { page }).hits.map((hit) => hit.paper.id));
    expect(new Set(all).size).toBe(12);
  });

  it("marks the matched words in a snippet of the abstract around them", () => {
    const filler = "Lorem ipsum dolor sit amet. ".repeat(30);
    const engine = new SearchEngine([paper({ title: "A paper", abstract: `${filler}Here grokking happens, and Grokking again. ${filler}` })]);
    const parts = engine.search("grokking").hits[0]!.snippet;
    expect(parts.filter((part) => part.match).map((part) => part.text)).toEqual(["grokking", "Grokking"]);
    expect(parts[0]!.text).toBe("…");
    expect(parts.at(-1)!.text).toBe("…");
    expect(parts.map((part) => part.text).join("").length).toBeLessThan(260);
  });

  it("answers strange input without throwing", () => {
    const engine = new SearchEngine([paper({ title: "Only paper" })]);
    for (const query of ["", "   ", "!!!", "a".repeat(5000), "🦀 ünïcödé 中文", "\u0000\n\t", "(", "\\"]) {
      expect(() => engine.search(query), JSON.stringify(query.slice(0, 20))).not.toThrow();
    }
    expect(engine.search("   ").total).toBe(0);
  });

  it("replaces a paper added again with the same id", () => {
    const engine = new SearchEngine([paper({ id: "2408.00001", title: "Old title" })]);
    engine.add(paper({ id: "2408.00001", title: "New title" }));
    expect(engine.size).toBe(1);
    expect(titles(engine, "old")).toEqual([]);
    expect(titles(engine, "new")).toEqual(["New title"]);
  });
});
