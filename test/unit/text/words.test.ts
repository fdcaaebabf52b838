import { describe, expect, it } from "vitest";
import { titleId } from "../../../src/corpus/paper.ts";
import { fold, nextWord, titleKey, tokenize } from "../../../src/text/words.ts";

describe("words", () => {
  it("folds case and accents, and splits on anything that is not a letter or digit, in any script", () => {
    expect(fold("Café ÜBER")).toBe("cafe uber");
    expect(tokenize("Self-Distillation in 3D: GPT-4o, k-NN (2024).")).toEqual(["self", "distillation", "in", "3d", "gpt", "4o", "k", "nn", "2024"]);
    expect(tokenize("中文摘要。Ελληνικά")).toEqual(["中文摘要", "ελληνικα"]);
    expect(titleKey("  Self-Distillation:  A Study ")).toBe(titleKey("self distillation a study"));
  });

  it("finds the same words one at a time (nextWord) as all at once (tokenize)", () => {
    for (const text of ["Graph-based RL, v2.0!", "Ümlaut Größe 𝑥𝑦 🦀 end", "", "   "]) {
      const found: string[] = [];
      const word = { start: 0, end: 0 };
      for (let at = 0; nextWord(text, at, word); at = word.end) found.push(fold(text.slice(word.start, word.end)));
      expect(found, text).toEqual(tokenize(text));
    }
  });

  it("gives the seed papers the same title ids as always (stored ids must never change)", () => {
    // Ids derived from titles are stored (ingested.jsonl, digest history): a change here renames data.
    expect(titleId("CHASE: Learning Convex Hull Adaptive Shift for Skeleton-based Multi-Entity Action Recognition")).toBe("t-ea3cfdfb1d3c");
    expect(
      titleId("Let's Make Block Coordinate Descent Converge Faster: Faster Greedy Rules, Message-Passing, Active-Set Complexity, and Superlinear Convergence"),
    ).toBe("t-5d4654c94443");
    expect(titleId("Scalable iterative pruning of large language and vision models using block coordinate descent")).toBe("t-dd97f4f1c3bb");
    expect(titleId("On filter design in deep convolutional neural network")).toBe("t-be4aa5898e6c");
    expect(titleId("Solving High-Dimensional PDEs with Latent Spectral Models")).toBe("t-54fb34d8f272");
    expect(titleId("solving high dimensional pdes with latent spectral models")).toBe("t-54fb34d8f272");
  });
});
