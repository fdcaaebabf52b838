import { describe, expect, it } from "vitest";
import { arxivId, codeLinksIn, parseArxivReference, titleId } from "../../../src/corpus/paper.ts";

describe("arxivId", () => {
  it("keeps a new-style id and drops its version", () => {
    expect(arxivId("2408.01234")).toBe("2408.01234");
    expect(arxivId("2408.01234v2")).toBe("2408.01234");
    expect(arxivId("1706.03762v7")).toBe("1706.03762");
    expect(arxivId("0704.0001")).toBe("0704.0001");
    expect(arxivId(" 2408.01234 ")).toBe("2408.01234");
  });

  it("keeps an old-style id", () => {
    expect(arxivId("cs/0112017")).toBe("cs/0112017");
    expect(arxivId("hep-th/9901001v2")).toBe("hep-th/9901001");
    expect(arxivId("math.GT/0309136")).toBe("math.GT/0309136");
  });

  it("rejects what is not an arXiv id", () => {
    for (const text of ["", "hello", "2408.1", "2408.123", "2408.123456", "24081.2345", "eccv2022-6969f0deec", "t-0123456789ab", "2408.01234v", "cs/011201"]) {
      expect(arxivId(text), text).toBeUndefined();
    }
  });
});

describe("parseArxivReference", () => {
  it.each([
    ["2408.01234", "2408.01234"],
    ["arXiv:2408.01234v3", "2408.01234"],
    ["arxiv: 2408.01234", "2408.01234"],
    ["  2408.01234v2  ", "2408.01234"],
    ["https://arxiv.org/abs/2408.01234v2", "2408.01234"],
    ["https://arxiv.org/abs/2408.01234", "2408.01234"],
    ["http://arxiv.org/abs/2408.01234/", "2408.01234"],
    ["https://arxiv.org/pdf/2408.01234.pdf", "2408.01234"],
    ["https://arxiv.org/pdf/2408.01234v3.pdf", "2408.01234"],
    ["https://arxiv.org/pdf/2408.01234", "2408.01234"],
    ["https://www.arxiv.org/abs/2408.01234?context=cs.LG", "2408.01234"],
    ["https://huggingface.co/papers/2408.01234", "2408.01234"],
    ["https://huggingface.co/papers/2408.01234#community", "2408.01234"],
    ["cs/0112017", "cs/0112017"],
    ["https://arxiv.org/abs/cs/0112017v1", "cs/0112017"],
  ])("%s -> %s", (text, id) => {
    expect(parseArxivReference(text)).toBe(id);
  });

  it.each(["hello", "2408.1", "", "   ", "arXiv:", "https://example.com/papers/2408.01234", "https://arxiv.org/abs/hello", "2408.01234 and more"])(
    "%j is not a reference",
    (text) => {
      expect(parseArxivReference(text)).toBeUndefined();
    },
  );
});

describe("titleId", () => {
  it("is deterministic and shaped like t-<12 hex>", () => {
    const id = titleId("Attention Is All You Need");
    expect(id).toMatch(/^t-[0-9a-f]{12}$/);
    expect(titleId("Attention Is All You Need")).toBe(id);
  });

  it("ignores case, punctuation, accents and spacing", () => {
    const id = titleId("CHASE: Learning Convex Hull Adaptive Shift for Skeleton-based Multi-Entity Action Recognition");
    expect(titleId("chase learning convex hull adaptive shift for skeleton based multi entity action recognition")).toBe(id);
    expect(titleId("  CHASE -- Learning Convex-Hull Adaptive Shift, for Skeleton-Based Multi-Entity Action Recognition!  ")).toBe(id);
    expect(titleId("Café Models")).toBe(titleId("cafe models"));
  });

  it("differs for different titles", () => {
    expect(titleId("Mixed Precision Training")).not.toBe(titleId("Mixed Precision Inference"));
    expect(titleId("GPT 4")).not.toBe(titleId("GPT 3"));
  });
});

describe("codeLinksIn", () => {
  it("finds GitHub repositories without trailing punctuation", () => {
    expect(codeLinksIn("Our code is publicly available at https://github.com/Necolizer/CHASE .")).toEqual([
      "https://github.com/Necolizer/CHASE",
    ]);
    expect(codeLinksIn("Code is available at https://github.com/thuml/Latent-Spectral-Models.")).toEqual([
      "https://github.com/thuml/Latent-Spectral-Models",
    ]);
    expect(codeLinksIn("(see https://github.com/a/b), then https://github.com/c/d; and https://github.com/e/f: done")).toEqual([
      "https://github.com/a/b",
      "https://github.com/c/d",
      "https://github.com/e/f",
    ]);
  });

  it("reduces links into a repository to the repository and drops .git", () => {
    expect(codeLinksIn("https://github.com/org/repo/tree/main/src and https://github.com/org/other.git")).toEqual([
      "https://github.com/org/repo",
      "https://github.com/org/other",
    ]);
  });

  it("dedupes, keeping first-mention order", () => {
    expect(
      codeLinksIn("https://github.com/x/y. Also https://github.com/z/w and again https://github.com/x/y, https://github.com/x/y.git"),
    ).toEqual(["https://github.com/x/y", "https://github.com/z/w"]);
  });

  it("finds nothing in text without GitHub links", () => {
    expect(codeLinksIn("")).toEqual([]);
    expect(codeLinksIn("Project page: https://example.github.io/project/ and https://gitlab.com/a/b.")).toEqual([]);
  });
});
