import { describe, expect, it } from "vitest";
import { SearchEngine } from "../../../src/search/engine.ts";
import { paper } from "../../helpers/papers.ts";

describe("related papers (more like this)", () => {
  const source = paper({ id: "s", title: "Score-based diffusion models for protein design", abstract: "We generate protein backbones with a score-based diffusion model and evaluate designability." });
  const papers = [
    source,
    paper({ id: "copy", title: "Score-Based Diffusion Models for Protein Design", abstract: "A second record of the same paper." }),
    paper({ id: "near", title: "Protein backbone generation with diffusion", abstract: "A diffusion model generates protein backbones; designability improves." }),
    paper({ id: "half", title: "Diffusion models for images", abstract: "Score-based generative models of images." }),
    paper({ id: "far", title: "Reinforcement learning for robot grasping", abstract: "A policy learns to grasp objects." }),
    ...Array.from({ length: 30 }, (_, i) => paper({ id: `filler${i}`, title: `Unrelated study number ${i}`, abstract: `Graph algorithms and compilers, part ${i}.` })),
  ];
  const engine = new SearchEngine(papers);

  it("ranks papers sharing the source's distinctive words first, and leaves out the source and its other records", () => {
    const related = engine.related(source, 3).map((item) => item.id);
    expect(related[0]).toBe("near");
    expect(related).toContain("half");
    expect(related).not.toContain("s");
    expect(related).not.toContain("copy");
    expect(related).not.toContain("far");
  });

  it("finds nothing for a paper with no word in common with any other", () => {
    expect(engine.related(paper({ id: "alone", title: "Xylophone zeugma quasar" }), 5)).toEqual([]);
  });
});
