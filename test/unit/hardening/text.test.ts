import { describe, expect, it } from "vitest";
import { normalizeCodeLink } from "../../../src/corpus/paper.ts";
import { shortSummary } from "../../../src/render/digest.ts";
import { truncateMarkdown } from "../../../src/render/limits.ts";
import { truncate } from "../../../src/render/markdown.ts";
import { paper } from "../../helpers/papers.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Findings 7 and 11 of the hardening review: cuts that split characters, regexes that were quadratic. */
describe("cutting and scanning untrusted text", () => {
  it("never cuts an emoji or a rare CJK character in half", () => {
    const text = `${"a".repeat(8)}😀😀😀`;
    for (let max = 2; max < text.length; max++) {
      for (const cut of [truncate(text, max), truncateMarkdown(text, max)]) {
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(LONE_SURROGATE.test(cut), `${max}: ${cut}`).toBe(false);
      }
    }
  });

  it("summarizes a 300,000-character abstract without punctuation (quadratic before: minutes)", () => {
    const summary = shortSummary(paper({ title: "Huge", abstract: "word ".repeat(60_000) }), 300);
    expect(summary.length).toBeLessThanOrEqual(300);
  });

  it("normalizes a code link holding 100,000 brackets (quadratic before)", () => {
    const hostile = `https://github.com/org/repo${")".repeat(100_000)}x`;
    expect(normalizeCodeLink(hostile)).toBe(hostile);
    expect(normalizeCodeLink("https://github.com/org/repo).")).toBe("https://github.com/org/repo");
    expect(normalizeCodeLink("https://github.com/org/repo.git/")).toBe("https://github.com/org/repo");
  });
});
