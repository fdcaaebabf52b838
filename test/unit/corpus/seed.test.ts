import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";

/** The real seed corpus shipped in data/: a saved Hugging Face Daily Papers page for Aug 4. */
const DATA = fileURLToPath(new URL("../../../data", import.meta.url));

describe("seed corpus (data/daily-papers-aug-4.txt)", () => {
  it("loads exactly the 58 papers of the page, in page order, without problems", async () => {
    const corpus = await loadCorpus(DATA);
    expect(corpus.files).toHaveLength(1);
    expect(corpus.files[0]).toMatch(/daily-papers-aug-4\.txt$/);
    expect(corpus.problems).toEqual([]);
    expect(corpus.duplicatesMerged).toBe(0);
    expect(corpus.papers).toHaveLength(58);
    expect(corpus.papers[0]!.title).toBe(
      "CHASE: Learning Convex Hull Adaptive Shift for Skeleton-based Multi-Entity Action Recognition",
    );
    expect(corpus.papers.at(-1)!.title).toBe("Solving High-Dimensional PDEs with Latent Spectral Models");
  });

  it("gives every paper a real abstract and the page's month-day as the listing date", async () => {
    const { papers } = await loadCorpus(DATA);
    for (const paper of papers) {
      expect(paper.abstract.length, paper.title).toBeGreaterThan(100);
      // An abstract never swallowed the next title, nor a title its abstract.
      expect(paper.title.length, paper.title).toBeLessThan(250);
      expect(paper.abstract, paper.title).not.toMatch(/\n/);
      expect(paper.listed, paper.title).toBe("--08-04");
      expect(paper.source, paper.title).toMatch(/daily-papers-aug-4\.txt:\d+$/);
    }
    expect(papers[0]!.abstract).toMatch(/^Skeleton-based multi-entity action recognition is a challenging task/);
    expect(papers.at(-1)!.abstract).toMatch(/^Deep models have achieved impressive progress in solving partial differential equations/);
  });

  it("gives every paper a unique id that is the same on every load", async () => {
    const first = await loadCorpus(DATA);
    const second = await loadCorpus(DATA);
    const ids = first.papers.map((paper) => paper.id);
    expect(new Set(ids).size).toBe(58);
    expect(second.papers.map((paper) => paper.id)).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^t-[0-9a-f]{12}$/);
  });

  it("extracts the code link from the first abstract, without the trailing space and period", async () => {
    const { papers } = await loadCorpus(DATA);
    expect(papers[0]!.links.code).toEqual(["https://github.com/Necolizer/CHASE"]);
    // The last abstract ends "...Code is available at https://github.com/thuml/Latent-Spectral-Models."
    expect(papers.at(-1)!.links.code).toEqual(["https://github.com/thuml/Latent-Spectral-Models"]);
  });
});
