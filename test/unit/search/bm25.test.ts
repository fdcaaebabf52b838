import { describe, expect, it } from "vitest";
import { SearchEngine } from "../../../src/search/engine.ts";
import { analyzeWord } from "../../../src/search/text/analyzer.ts";
import { paper } from "../../helpers/papers.ts";

const titles = (engine: SearchEngine, query: string) => engine.search(query, { pageSize: 50 }).hits.map((hit) => hit.paper.title);
const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

describe("BM25F scoring", () => {
  it("counts a rare word for more than a common one", () => {
    // "planning" is in every paper, "grasping" in one: matching "grasping" is what sets a paper apart.
    const engine = new SearchEngine([
      paper({ title: "Paper A", abstract: "planning planning and control" }),
      paper({ title: "Paper B", abstract: "grasping with planning" }),
      paper({ title: "Paper C", abstract: "planning under uncertainty" }),
      paper({ title: "Paper D", abstract: "planning for robots" }),
    ]);
    const result = engine.search("planning grasping dexterous hands tasks");
    expect(result.hits[0]!.paper.title).toBe("Paper B");
  });

  it("ranks a short field with the word above a long one with it once", () => {
    const engine = new SearchEngine([
      paper({ title: "Long", abstract: `${filler(150)} transformers ${filler(150)}` }),
      paper({ title: "Short", abstract: "transformers for proteins" }),
    ]);
    expect(titles(engine, "transformers")).toEqual(["Short", "Long"]);
  });

  it("counts repeated mentions, with diminishing returns", () => {
    const engine = new SearchEngine([
      paper({ title: "Once", abstract: "attention and other things we study here" }),
      paper({ title: "Thrice", abstract: "attention, attention and attention here" }),
    ]);
    const [thrice, once] = engine.search("attention").hits;
    expect(thrice!.paper.title).toBe("Thrice");
    expect(thrice!.score).toBeGreaterThan(once!.score);
    expect(thrice!.score).toBeLessThan(3 * once!.score);
  });

  it("ranks an author match above an abstract mention, below a title match", () => {
    const engine = new SearchEngine([
      paper({ title: "Other work", abstract: "We build on Bengio's work on deep learning." }),
      paper({ title: "Some paper", authors: ["Yoshua Bengio"], abstract: "Deep learning again." }),
      paper({ title: "Bengio and the history of deep learning", abstract: "A history." }),
    ]);
    expect(titles(engine, "bengio")).toEqual(["Bengio and the history of deep learning", "Some paper", "Other work"]);
  });

  it("finds every form of a word (stemming) and ignores stop words", () => {
    const engine = new SearchEngine([
      paper({ title: "Networked robots", abstract: "" }),
      paper({ title: "Network pruning", abstract: "" }),
      paper({ title: "Unrelated", abstract: "the of and for" }),
    ]);
    expect(titles(engine, "networks").sort()).toEqual(["Network pruning", "Networked robots"]);
    expect(engine.search("the networks of").words).toEqual(["networks"]);
    expect(analyzeWord("networking")).toBe("network");
    expect(analyzeWord("generalization")).toBe("gener");
    expect(analyzeWord("gpt4")).toBe("gpt4");
    expect(analyzeWord("flies")).toBe("fli");
  });

  it("ranks a long natural-language request by score, not by how many of its words a paper has", () => {
    // Paper B has more of the request's common words; paper A has its two rarest, in the title.
    const engine = new SearchEngine([
      paper({ title: "Compilers for multiple target machines", abstract: "Intermediate languages." }),
      paper({ title: "A study", abstract: "We describe the construction of systems used in many articles and languages." }),
      ...Array.from({ length: 8 }, (_, i) => paper({ title: `Filler ${i}`, abstract: "articles describe systems and languages used in construction" })),
    ]);
    const request = "articles about the construction of compilers for multiple target machines, the languages used and systems";
    expect(engine.search(request).hits[0]!.paper.title).toBe("Compilers for multiple target machines");
  });

  it("ranks a question of more than 32 words by its most informative ones, wherever they stand", () => {
    // Forty common words, then the one that matters: taking the first 32 words would lose it.
    const common = Array.from({ length: 40 }, (_, i) => `common${i}`);
    const engine = new SearchEngine([
      paper({ title: "Grokking in small transformers", abstract: "grokking" }),
      ...Array.from({ length: 30 }, (_, i) => paper({ title: `Filler ${i}`, abstract: common.join(" ") })),
    ]);
    const result = engine.search(`${common.join(" ")} grokking`);
    expect(result.words).toHaveLength(32);
    expect(result.words).toContain("grokking");
    expect(result.hits[0]!.paper.title).toBe("Grokking in small transformers");
  });

  it("weighs a word a question repeats more, with diminishing returns", () => {
    const engine = new SearchEngine([
      paper({ title: "First", abstract: "walking robots on uneven terrain" }),
      paper({ title: "Second", abstract: "grasping objects on a cluttered table" }),
      ...Array.from({ length: 4 }, (_, i) => paper({ title: `Filler ${i}`, abstract: "nothing in common" })),
    ]);
    const top = (question: string) => engine.search(question).hits[0]!.paper.title;
    expect(top("which papers study robots, robots that walk, robots anywhere, and grasping?")).toBe("First");
    expect(top("which papers study grasping, grasping by hand, grasping anywhere, and robots?")).toBe("Second");
  });

  it("keeps keyword queries all-words-first even when a partial match scores higher", () => {
    const engine = new SearchEngine([
      paper({ title: "Molecules molecules molecules", abstract: "molecules" }),
      paper({ title: "A long study", abstract: `${filler(100)} graph ${filler(50)} molecules` }),
    ]);
    const result = engine.search("graph molecules");
    expect(result.hits.map((hit) => hit.paper.title)).toEqual(["A long study", "Molecules molecules molecules"]);
    expect(result.hits.map((hit) => hit.matchedWords)).toEqual([2, 1]);
  });

  it("finds a paper by a few words of its title: titles with every word first, the closest title first", () => {
    // Papers that say "ground vehicles" all through their abstracts, and the one that is about them by title.
    const engine = new SearchEngine([
      ...Array.from({ length: 6 }, (_, i) =>
        paper({ title: `Paper ${i}`, abstract: `Ground vehicles, ground robots and ground vehicles again: vehicles on the ground, study ${i}.` }),
      ),
      paper({ title: "A long survey of aerial and ground platforms for vehicles in many settings", abstract: "Platforms." }),
      paper({ title: "Visual SLAM for autonomous ground vehicles", abstract: "Mapping." }),
    ]);
    expect(titles(engine, "ground vehicles").slice(0, 2)).toEqual(["Visual SLAM for autonomous ground vehicles", "A long survey of aerial and ground platforms for vehicles in many settings"]);
  });

  it("treats hyphenated compounds as one part of a keyword query", () => {
    const engine = new SearchEngine([
      paper({ title: "Visual odometry", abstract: "visual inertial contact state estimation" }),
      paper({ title: "Visual-inertial-contact state estimation for legged robots", abstract: "" }),
      paper({ title: "State estimation", abstract: "" }),
    ]);
    const result = engine.search("Visual-Inertial-Contact State Estimation");
    expect(result.fullMatches).toBe(2);
    expect(result.hits.slice(0, 2).every((hit) => hit.matchedWords === 5)).toBe(true);
  });

  it("keeps corpus order among equal scores after a paper was replaced", () => {
    // The replaced paper's postings move to the end of FlexSearch's lists: the one-term shortcut, which
    // reads those lists in order, must not be taken any more.
    const engine = new SearchEngine([paper({ id: "a", title: "Robots A" }), paper({ id: "b", title: "Robots B" }), paper({ id: "c", title: "Robots C" })]);
    engine.add(paper({ id: "a", title: "Robots Z" }));
    expect(titles(engine, "robots")).toEqual(["Robots Z", "Robots B", "Robots C"]);
    expect(engine.search("robots").total).toBe(3);
  });
});

describe("autocomplete", () => {
  const engine = new SearchEngine([
    paper({ id: "1", title: "Foundation models for robotics" }),
    paper({ id: "2", title: "Diffusion policies", abstract: "We study foundation models." }),
    paper({ id: "3", title: "Formal verification" }),
    paper({ id: "4", title: "Graph transformers", abstract: "" }),
  ]);
  const suggest = (text: string) => engine.suggest(text, 10).map((found) => found.id);

  it("takes the last word as unfinished, titles first, then papers that have it elsewhere", () => {
    expect(suggest("foundation mod")[0]).toBe("1");
    expect(suggest("foundation mod")).toContain("2");
    expect(suggest("transf")).toEqual(["4"]);
  });

  it("completes a word that looks like a stop word while it is being typed", () => {
    expect(suggest("fo")).toEqual([]);
    expect(suggest("for")).toEqual(["3"]);
    expect(suggest("for ")).toEqual([]);
  });

  it("puts the paper named exactly first", () => {
    expect(suggest("formal verification")[0]).toBe("3");
  });
});
