import { describe, expect, it } from "vitest";
import { Analyzer, analyzeWord } from "../../../src/search/text/analyzer.ts";
import { tokenize } from "../../../src/text/words.ts";

/** What the analyzer must produce: tokenize's words, without stop words, stemmed. */
const expected = (text: string) => tokenize(text).map(analyzeWord).filter(Boolean);

describe("Analyzer", () => {
  it("finds the same words as tokenize, in ASCII text and in any other script", () => {
    const analyzer = new Analyzer();
    for (const text of [
      "Self-Distillation in Café Networks: 3D GANs, GPT-4o and k-NN (2024).",
      "Ein Abstract mit Umlauten: Übung, Größe; 中文摘要。Ελληνικά κείμενα",
      "Math 𝑥𝑦 and emoji 🦀 and a lone surrogate \ud800 here",
      "  leading and trailing spaces  ",
      "",
    ]) {
      expect(analyzer.analyze(text), text).toEqual(expected(text));
    }
  });

  it("keeps every word's term right while its tables grow (thousands of new words)", () => {
    const analyzer = new Analyzer();
    const words = Array.from({ length: 9000 }, (_, i) => `w${i.toString(36)}x`);
    const text = words.join(" ");
    expect(analyzer.analyze(text)).toEqual(expected(text));
    const restored = new Analyzer();
    restored.restore(analyzer.exportState());
    const more = Array.from({ length: 5000 }, (_, i) => `v${i.toString(36)}q`).join(" ");
    expect(restored.analyze(`${more} ${text}`)).toEqual(expected(`${more} ${text}`));
  });

  it("knows the corpus's words, not stop words or unseen ones", () => {
    const analyzer = new Analyzer();
    analyzer.analyze("The networks of robots");
    expect(analyzer.knows("networks")).toBe(true);
    expect(analyzer.knows("the")).toBe(false);
    expect(analyzer.knows("graphs")).toBe(false);
    expect(analyzer.termOf("networks")).toBe("network");
  });
});
