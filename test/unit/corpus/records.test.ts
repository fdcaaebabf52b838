import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCorpus } from "../../../src/corpus/load.ts";
import { recordToPaper } from "../../../src/corpus/loaders/records.ts";
import { titleId } from "../../../src/corpus/paper.ts";
import { parseCorpusText } from "../../../src/corpus/parse-corpus-text.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/corpus/${name}`, import.meta.url));
const JSONL = fixture("records.jsonl");
const ARRAY = fixture("records-array.json");

describe("JSON Lines records (shaped like papers.jsonl.gz)", () => {
  it("keeps the good lines, in order, each with its own id and source line", async () => {
    const { papers } = await loadCorpus(JSONL);
    expect(papers.map((paper) => [paper.id, paper.source])).toEqual([
      ["eccv2022-6969f0deec", `${JSONL}:1`],
      ["iclr2018-r1gs9JgRZ", `${JSONL}:3`],
      [titleId("A Title-Only Record"), `${JSONL}:9`],
      ["aaai2024-7f3a9c0d1e", `${JSONL}:11`],
    ]);
  });

  it("reports each bad line with the file, its line number and the reason; blank lines are not problems", async () => {
    const { problems } = await loadCorpus(JSONL);
    expect(problems.map((problem) => [problem.file, problem.line])).toEqual([
      [JSONL, 4],
      [JSONL, 5],
      [JSONL, 6],
      [JSONL, 10],
    ]);
    expect(problems[0]!.reason).toMatch(/invalid JSON/i);
    expect(problems[1]!.reason).toMatch(/^title: /);
    expect(problems[2]!.reason).toMatch(/^title: .*string/i);
    expect(problems[3]!.reason).toMatch(/title is empty/);
  });

  it("keeps every field of a real-shaped record", async () => {
    const { papers } = await loadCorpus(JSONL);
    expect(papers[0]).toEqual({
      id: "eccv2022-6969f0deec",
      title: "Automatic Dense Annotation of Large-Vocabulary Sign Language Videos",
      abstract:
        "Recently, sign language researchers have turned to sign language interpreted TV broadcasts as a readily available and large-scale source of training data. In this work, we propose a simple, scalable framework to vastly increase the density of automatic annotations.",
      authors: ["Liliane Momeni", "Hannah Bull", "K R Prajwal", "Samuel Albanie", "Gül Varol", "Andrew Zisserman"],
      published: "2022",
      listed: undefined,
      venue: "ECCV 2022",
      upvotes: undefined,
      keywords: [],
      summary: undefined,
      links: {
        page: "https://www.ecva.net/papers/eccv_2022/papers_ECCV/html/1028_ECCV_2022_paper.php",
        project: undefined,
        code: [],
      },
      source: `${JSONL}:1`,
    });
    expect(papers[1]!.keywords).toEqual(["Half precision", "float16"]);
    expect(papers[1]!.venue).toBe("ICLR 2018");
  });

  it("accepts a title-only record", async () => {
    const { papers } = await loadCorpus(JSONL);
    const titleOnly = papers[2]!;
    expect(titleOnly).toMatchObject({ title: "A Title-Only Record", abstract: "", authors: [], keywords: [] });
    expect(titleOnly.links.code).toEqual([]);
    expect(recordToPaper({ title: "A Title-Only Record" }, "x:1")).toMatchObject({ id: titleId("A Title-Only Record"), source: "x:1" });
  });

  it("normalizes white space, a numeric year and code links in the abstract", async () => {
    const { papers } = await loadCorpus(JSONL);
    expect(papers[3]).toMatchObject({
      title: "Sparse Mixture-of-Experts for Graph Learning",
      abstract: "We study sparse mixtures of experts on graphs. Code: https://github.com/example/graph-moe.",
      authors: ["Grace Hopper", "Alan Turing"],
      published: "2024",
      keywords: ["graphs", "mixture of experts"],
      links: { page: "https://ojs.aaai.org/index.php/AAAI/article/view/00000", code: ["https://github.com/example/graph-moe"] },
    });
  });

  it("counts line numbers from the top of the file even when it starts with blank lines or uses CRLF", () => {
    const text = "\r\n\r\n" + '{"id":"a-1","title":"First"}\r\n' + '{"id":"a-2","title":}\r\n' + "\r\n" + '{"id":"a-3","title":"Third"}\r\n';
    const { records, problems } = parseCorpusText(text, "crlf.jsonl");
    expect(records.map((paper) => [paper.id, paper.source])).toEqual([
      ["a-1", "crlf.jsonl:3"],
      ["a-3", "crlf.jsonl:6"],
    ]);
    expect(problems).toEqual([{ file: "crlf.jsonl", line: 4, reason: expect.stringMatching(/invalid JSON/i) }]);
  });

  it("rejects a line that is valid JSON but not an object", () => {
    const text = ['{"id":"a-1","title":"First"}', "42", '"a string"', "null", "[1, 2]"].join("\n");
    const { records, problems } = parseCorpusText(text, "values.jsonl");
    expect(records).toHaveLength(1);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 4, 5]);
  });
});

describe("recordToPaper", () => {
  it("turns an arXiv id into a bare id with arXiv links", () => {
    const paper = recordToPaper({ id: "2408.01234v2", title: "An arXiv Record" }, "r.jsonl:1");
    expect(paper).toMatchObject({
      id: "2408.01234",
      links: {
        arxiv: "https://arxiv.org/abs/2408.01234",
        pdf: "https://arxiv.org/pdf/2408.01234",
        huggingface: "https://huggingface.co/papers/2408.01234",
      },
    });
  });

  it("keeps a numeric id as a string and tolerates unknown fields and nulls", () => {
    const paper = recordToPaper(
      { id: 12345, title: "Numbered", abstract: null, authors: null, venue: null, extra: { nested: [1, 2] }, rating: 4.5 },
      "r.jsonl:2",
    );
    expect(paper).toMatchObject({ id: "12345", title: "Numbered", abstract: "", authors: [] });
  });

  it("explains what is wrong with an invalid record", () => {
    expect(recordToPaper({ id: "x" }, "r:1")).toMatch(/^title: /);
    expect(recordToPaper({ title: "T", authors: "Ada Lovelace" }, "r:1")).toMatch(/^authors: /);
    expect(recordToPaper({ title: "T", upvotes: -1 }, "r:1")).toMatch(/^upvotes: /);
  });
});

describe("JSON array of records (pretty-printed)", () => {
  it("keeps the good elements with the line each element starts on", async () => {
    const { papers } = await loadCorpus(ARRAY);
    expect(papers.map((paper) => [paper.id, paper.source])).toEqual([
      ["iclr2019-HkgEQnRqYQ", `${ARRAY}:2`],
      ["icml2020-3b1f0a9c2d", `${ARRAY}:21`],
      [titleId("Compact Element On One Line"), `${ARRAY}:31`],
    ]);
    expect(papers[0]!.abstract).toBe(
      'Deep networks [with piecewise linear activations] realize {locally linear} functions, "tricky" to analyse, with a backslash \\ here.',
    );
    expect(papers[0]!.authors).toEqual(["Guang-He Lee", "David Alvarez-Melis", "Tommi S. Jaakkola"]);
  });

  it("reports a bad element at the line the element starts on", async () => {
    const { problems } = await loadCorpus(ARRAY);
    expect(problems.map((problem) => [problem.file, problem.line])).toEqual([
      [ARRAY, 12],
      [ARRAY, 30],
    ]);
    expect(problems[0]!.reason).toMatch(/^title: /);
  });
});

describe("gzipped JSON Lines", () => {
  let dir: string;
  let plainIds: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "paperbot-records-"));
    const gz = gzipSync(await readFile(JSONL));
    await writeFile(join(dir, "papers.jsonl"), gz);
    await writeFile(join(dir, "papers.jsonl.gz"), gz);
    plainIds = (await loadCorpus(JSONL)).papers.map((paper) => paper.id);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads a gzipped file named .jsonl (no .gz) transparently, line numbers included", async () => {
    const file = join(dir, "papers.jsonl");
    const corpus = await loadCorpus(file);
    expect(corpus.papers.map((paper) => paper.id)).toEqual(plainIds);
    expect(corpus.papers[0]!.source).toBe(`${file}:1`);
    expect(corpus.papers[0]!.authors).toContain("Gül Varol");
    expect(corpus.problems.map((problem) => problem.line)).toEqual([4, 5, 6, 10]);
  });

  it("loads a .jsonl.gz file, and a folder holding both merges them as duplicates", async () => {
    const single = await loadCorpus(join(dir, "papers.jsonl.gz"));
    expect(single.papers.map((paper) => paper.id)).toEqual(plainIds);
    const folder = await loadCorpus(dir);
    expect(folder.files.map((file) => file.slice(dir.length + 1))).toEqual(["papers.jsonl", "papers.jsonl.gz"]);
    expect(folder.papers.map((paper) => paper.id)).toEqual(plainIds);
    expect(folder.duplicatesMerged).toBe(plainIds.length);
  });
});
