import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";
import { hfItemToPaper } from "../../../src/corpus/loaders/hf-daily.ts";
import { parseCorpusText } from "../../../src/corpus/parse-corpus-text.ts";

/** A response of GET https://huggingface.co/api/daily_papers?date=2024-08-05, trimmed to four items. */
const HF = fileURLToPath(new URL("../../fixtures/corpus/hf-daily-papers.json", import.meta.url));

/** A minimal item in the API's shape. */
function item(paper: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    paper: {
      id: "2408.09999",
      authors: [{ _id: "66acb1a2f0e9f3a2b1c4d999", name: "Ada Lovelace", hidden: false }],
      publishedAt: "2024-08-01T12:00:00.000Z",
      title: "A Minimal Paper",
      summary: "A minimal summary.",
      upvotes: 1,
      discussionId: "66acb1a3f0e9f3a2b1c4d998",
      githubRepo: null,
      ...paper,
    },
    publishedAt: "2024-08-06T00:10:00.000Z",
    title: "A Minimal Paper",
    summary: "A minimal summary.",
    thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2408.09999.png",
    numComments: 0,
    submittedBy: { _id: "60f1abf4a1b2c3d4e5f60718", fullname: "AK", user: "akhaliq", type: "user" },
    isAuthorParticipating: false,
    ...extra,
  };
}

describe("Hugging Face daily_papers API response", () => {
  it("keeps the complete items and reports those missing paper.title or paper.id at their line", async () => {
    const { papers, problems } = await loadCorpus(HF);
    expect(papers.map((paper) => [paper.id, paper.source])).toEqual([
      ["2408.01234", `${HF}:2`],
      ["2408.05678", `${HF}:81`],
    ]);
    expect(problems.map((problem) => [problem.file, problem.line])).toEqual([
      [HF, 63],
      [HF, 104],
    ]);
    expect(problems[0]!.reason).toMatch(/paper\.title/);
    expect(problems[1]!.reason).toMatch(/paper\.id/);
  });

  it("maps every field of a full item", async () => {
    const { papers } = await loadCorpus(HF);
    expect(papers[0]).toEqual({
      id: "2408.01234",
      title: "Sparse Attention Routers for Long-Context Retrieval",
      abstract:
        "Long-context language models spend most of their compute on tokens that do not matter for the query. We introduce sparse attention routers, which select a small set of key blocks per query. Code and models are released.",
      authors: ["Mei Tanaka", "Jonas Weber"],
      published: "2024-08-02",
      listed: "2024-08-05",
      venue: undefined,
      upvotes: 42,
      stars: 311,
      comments: 2,
      keywords: ["sparse attention", "long context", "retrieval"],
      summary: "Sparse attention routers pick a few key blocks per query to cut long-context compute.",
      links: {
        page: undefined,
        arxiv: "https://arxiv.org/abs/2408.01234",
        pdf: "https://arxiv.org/pdf/2408.01234",
        huggingface: "https://huggingface.co/papers/2408.01234",
        project: "https://example-lab.github.io/sparse-routers/",
        thumbnail: "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2408.01234.png",
        code: ["https://github.com/example-lab/sparse-routers"],
      },
      source: `${HF}:2`,
    });
  });

  it("drops the version of a versioned id, collapses line breaks, and finds code in the summary when githubRepo is null", async () => {
    const { papers } = await loadCorpus(HF);
    expect(papers[1]).toMatchObject({
      id: "2408.05678",
      title: "Diffusion Planners for Embodied Agents",
      abstract: "We train diffusion planners for embodied agents. Our code is at https://github.com/okafor/diffplan.",
      authors: ["Lucía Fernández", "Tom Okafor"],
      published: "2024-08-04",
      listed: "2024-08-05",
      upvotes: 0,
      keywords: [],
      links: {
        arxiv: "https://arxiv.org/abs/2408.05678",
        pdf: "https://arxiv.org/pdf/2408.05678",
        huggingface: "https://huggingface.co/papers/2408.05678",
        code: ["https://github.com/okafor/diffplan"],
      },
    });
    expect(papers[1]!.summary).toBeUndefined();
  });

  it("turns a versioned id into the bare arXiv id", () => {
    const paper = hfItemToPaper(item({ id: "2408.01234v2" }), "hf.json:1");
    expect(paper).toMatchObject({ id: "2408.01234", links: { arxiv: "https://arxiv.org/abs/2408.01234" } });
  });

  it("lists the item on the day of the item's publishedAt, not the paper's", () => {
    const paper = hfItemToPaper(item({ publishedAt: "2024-07-30T23:59:59.000Z" }, { publishedAt: "2024-08-06T00:10:00.000Z" }), "hf.json:1");
    expect(paper).toMatchObject({ published: "2024-07-30", listed: "2024-08-06" });
  });

  it("has no code link when githubRepo is null and the summary names none", () => {
    const paper = hfItemToPaper(item({ githubRepo: null }), "hf.json:1");
    expect(paper).toMatchObject({ links: { code: [] } });
  });

  it("does not repeat a githubRepo that the summary also mentions", () => {
    const paper = hfItemToPaper(
      item({ githubRepo: "https://github.com/a/b", summary: "Code at https://github.com/a/b. Also see\nhttps://github.com/c/d." }),
      "hf.json:1",
    );
    expect(paper).toMatchObject({ links: { code: ["https://github.com/a/b", "https://github.com/c/d"] } });
  });

  it("tolerates unknown fields and absent optional ones", () => {
    const paper = hfItemToPaper(
      item(
        { somethingNew: { nested: [1, 2, 3] }, githubStars: 12, authors: undefined, summary: undefined, upvotes: undefined },
        { brandNewField: "x", organization: { name: "lab" } },
      ),
      "hf.json:1",
    );
    expect(paper).toMatchObject({ id: "2408.09999", title: "A Minimal Paper", abstract: "", authors: [], upvotes: undefined });
  });

  it("rejects an item whose paper lacks a title or an id, or whose title is blank", () => {
    const noTitle = item({});
    delete (noTitle.paper as Record<string, unknown>).title;
    const noId = item({});
    delete (noId.paper as Record<string, unknown>).id;
    expect(hfItemToPaper(noTitle, "hf.json:1")).toMatch(/paper\.title/);
    expect(hfItemToPaper(noId, "hf.json:1")).toMatch(/paper\.id/);
    expect(hfItemToPaper(item({ title: "  \n " }), "hf.json:1")).toMatch(/paper\.title/);
    expect(hfItemToPaper(item({ id: "" }), "hf.json:1")).toMatch(/paper\.id/);
  });

  it("reads items given as JSON Lines too", () => {
    const text = [JSON.stringify(item({ id: "2408.00001", title: "First" })), JSON.stringify(item({ id: "2408.00002v3", title: "Second" }))].join("\n");
    const { records, problems } = parseCorpusText(text, "hf.jsonl");
    expect(problems).toEqual([]);
    expect(records.map((paper) => [paper.id, paper.source])).toEqual([
      ["2408.00001", "hf.jsonl:1"],
      ["2408.00002", "hf.jsonl:2"],
    ]);
  });
});
