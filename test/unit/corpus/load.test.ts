import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorpusError, loadCorpus } from "../../../src/corpus/load.ts";
import { makePaper } from "../../../src/corpus/make-paper.ts";
import { mergeDuplicates } from "../../../src/corpus/merge.ts";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/corpus/${name}`, import.meta.url));
/** A Daily Papers page, JSON Lines named .txt, an HF API response, a broken JSON array and a README. */
const MIXED = fixture("mixed");
const ONLY_BAD = fixture("only-bad");

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "paperbot-load-"));
  temps.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("loadCorpus over a folder of mixed formats", () => {
  let corpus: Awaited<ReturnType<typeof loadCorpus>>;
  beforeAll(async () => {
    corpus = await loadCorpus(MIXED);
  });

  it("reads only corpus files, sorted by name, choosing each format by content", () => {
    expect(corpus.files.map((file) => basename(file))).toEqual(["01-daily-page.txt", "02-records.txt", "03-hf-daily.json", "04-broken.json"]);
    // 02-records.txt is JSON Lines despite its name: its ids survive.
    expect(corpus.papers.map((paper) => paper.id)).toContain("iclr2018-r1gs9JgRZ");
  });

  it("merges duplicates across files, by arXiv id or by title ignoring case and punctuation, keeping first-seen order", () => {
    // 8 records: page 2, records 4, HF 2; 4 of them were duplicates.
    expect(corpus.duplicatesMerged).toBe(4);
    expect(corpus.papers.map((paper) => paper.id)).toEqual([
      "2408.01234",
      expect.any(String),
      "2408.05678",
      "iclr2018-r1gs9JgRZ",
    ]);
    expect(corpus.papers.map((paper) => paper.title)).toEqual([
      "Sparse Attention Routers for Long-Context Retrieval",
      expect.stringMatching(/^graph neural networks meet tabular data!?$/i),
      "Diffusion Planners for Embodied Agents",
      "Mixed Precision Training",
    ]);
  });

  it("lets the richer record win and fills in what only the poorer one knew", () => {
    const [routers, tabular, planners] = corpus.papers;
    // Title-only page entry + bare arXiv record + full HF item: the HF item's content wins, arXiv id kept.
    expect(routers).toMatchObject({
      id: "2408.01234",
      abstract:
        "Long-context language models spend most of their compute on tokens that do not matter for the query. We introduce sparse attention routers.",
      authors: ["Mei Tanaka", "Jonas Weber"],
      upvotes: 42,
      published: "2024-08-02",
      listed: "2024-08-05",
      links: {
        arxiv: "https://arxiv.org/abs/2408.01234",
        huggingface: "https://huggingface.co/papers/2408.01234",
        code: ["https://github.com/example-lab/sparse-routers"],
      },
    });
    // Page entry with an abstract + record with authors and upvotes: nothing is lost either way.
    expect(tabular).toMatchObject({
      abstract: expect.stringMatching(/^Tabular data is everywhere/),
      authors: ["Wei Zhang", "Olga Petrova"],
      upvotes: 7,
      listed: "--08-05",
      venue: "KDD 2023",
      keywords: ["tabular"],
    });
    // Same arXiv id (one versioned), different titles: merged by id.
    expect(planners).toMatchObject({
      id: "2408.05678",
      abstract: "We train diffusion planners for embodied agents.",
      authors: ["Tom Okafor"],
      upvotes: 9,
      listed: "2024-08-05",
    });
  });

  it("reports the entirely broken JSON array with its file and still loads the other files", () => {
    expect(corpus.problems).toHaveLength(1);
    expect(corpus.problems[0]!.file).toBe(join(MIXED, "04-broken.json"));
    expect(corpus.problems[0]!.reason).toMatch(/JSON/);
    expect(corpus.papers).toHaveLength(4);
  });

  it("skips hidden files and files with other extensions, and reads gzip inside a folder", async () => {
    const dir = await tempDir();
    await cp(MIXED, dir, { recursive: true });
    await writeFile(join(dir, ".hidden.jsonl"), '{"id":"hidden-1","title":"A Paper From A Hidden File"}\n');
    await writeFile(join(dir, "notes.csv"), "id,title\ncsv-1,A Paper From A CSV File\n");
    await writeFile(
      join(dir, "05-extra.jsonl.gz"),
      gzipSync('{"id":"neurips2017-3f5ee243","title":"Attention Is All You Need","published":"2017"}\n'),
    );
    const loaded = await loadCorpus(dir);
    expect(loaded.files.map((file) => basename(file))).toEqual([
      "01-daily-page.txt",
      "02-records.txt",
      "03-hf-daily.json",
      "04-broken.json",
      "05-extra.jsonl.gz",
    ]);
    const titles = loaded.papers.map((paper) => paper.title);
    expect(titles).toContain("Attention Is All You Need");
    expect(titles).not.toContain("A Paper From A Hidden File");
    expect(titles).not.toContain("A Paper From A CSV File");
    expect(titles.join(" | ")).not.toMatch(/paper title|Not a corpus file/);
  });

  it("loads a single file path as well as a folder", async () => {
    const single = await loadCorpus(join(MIXED, "02-records.txt"));
    expect(single.files).toEqual([join(MIXED, "02-records.txt")]);
    expect(single.papers.map((paper) => paper.id)).toEqual(["2408.01234", "kdd2023-5e6f7a8b9c", "2408.05678", "iclr2018-r1gs9JgRZ"]);
  });
});

describe("loadCorpus failures", () => {
  it("throws a CorpusError naming CORPUS_PATH for a missing path", async () => {
    const missing = join(tmpdir(), "paperbot-no-such-corpus-folder", "papers.jsonl");
    const error = await loadCorpus(missing).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).name).toBe("CorpusError");
    expect((error as Error).message).toContain("CORPUS_PATH");
    expect((error as Error).message).toContain(missing);
  });

  it("throws a CorpusError for an empty folder", async () => {
    const dir = await tempDir();
    await expect(loadCorpus(dir)).rejects.toThrow(CorpusError);
    await expect(loadCorpus(dir)).rejects.toThrow(/no corpus files/);
  });

  it("throws a CorpusError for a folder whose only files are not corpus files", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "notes.md"), "A Title\n\nAn abstract.\n");
    await mkdir(join(dir, "sub.jsonl"));
    await expect(loadCorpus(dir)).rejects.toThrow(CorpusError);
  });

  it("throws a CorpusError, counting files and problems, for a folder of only bad files", async () => {
    const error = await loadCorpus(ONLY_BAD).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CorpusError);
    expect((error as Error).message).toContain(ONLY_BAD);
    // broken-array.json: 1 problem; bad-lines.jsonl: 3 problems.
    expect((error as Error).message).toMatch(/2 file\(s\), 4 problem\(s\)/);
  });

  it("throws a CorpusError for an empty file", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "empty.jsonl"), "");
    await expect(loadCorpus(join(dir, "empty.jsonl"))).rejects.toThrow(CorpusError);
  });

  it("reports a file that cannot be read and still loads the others", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "a.jsonl"), '{"id":"a-1","title":"Readable"}\n');
    // Gzip magic bytes followed by garbage: gunzip fails.
    await writeFile(join(dir, "b.jsonl"), Buffer.from([0x1f, 0x8b, 0x00, 0x01, 0x02, 0x03]));
    const loaded = await loadCorpus(dir);
    expect(loaded.papers.map((paper) => paper.id)).toEqual(["a-1"]);
    expect(loaded.problems).toEqual([{ file: join(dir, "b.jsonl"), reason: expect.stringMatching(/cannot read/) }]);
  });
});

describe("mergeDuplicates", () => {
  const page = (title: string, line: number) => makePaper({ title, listed: "--08-05", source: `page.txt:${line}` });
  const record = (id: string, title: string) => makePaper({ id, title, published: "2024", source: "records.jsonl:1" });
  const hf = () =>
    makePaper({
      id: "2408.01234",
      title: "Sparse Attention Routers for Long-Context Retrieval",
      abstract: "We introduce sparse attention routers.",
      authors: ["Mei Tanaka"],
      upvotes: 42,
      listed: "2024-08-05",
      source: "hf.json:2",
    });

  it("keeps the richer record whichever comes first, and counts merges", () => {
    const poor = page("sparse attention routers: for long context retrieval", 7);
    for (const order of [[poor, hf()], [hf(), poor]]) {
      const { papers, merged } = mergeDuplicates(order);
      expect(merged).toBe(1);
      expect(papers).toHaveLength(1);
      expect(papers[0]).toMatchObject({ id: "2408.01234", abstract: "We introduce sparse attention routers.", authors: ["Mei Tanaka"], upvotes: 42 });
    }
  });

  it("does not merge different papers", () => {
    const { papers, merged } = mergeDuplicates([record("2408.00001", "Paper One"), record("2408.00002", "Paper Two"), page("Paper Three", 1)]);
    expect(merged).toBe(0);
    expect(papers).toHaveLength(3);
  });

  it("joins a record into one paper when it duplicates one earlier record by title and another by arXiv id", () => {
    // The page lists the paper by title only; a records file knows its arXiv id under a revised title; the HF
    // item has both the id and the page's title. All three are the same paper.
    const pageEntry = page("Sparse attention routers for long context retrieval", 7);
    const revised = record("2408.01234v3", "Sparse Attention Routers (Revised Title)");
    const forward = mergeDuplicates([pageEntry, revised, hf()]);
    const backward = mergeDuplicates([hf(), revised, pageEntry]);
    expect(backward.papers).toHaveLength(1);
    expect(forward.papers.map((paper) => [paper.id, paper.title])).toEqual(backward.papers.map((paper) => [paper.id, paper.title]));
    expect(forward.merged).toBe(2);
  });

  it("still recognizes a merged record by the id it lost to an arXiv id", () => {
    // An HF item and a venue record of the same paper merge under the arXiv id; a later dump of the venue
    // (camera-ready title) carries the venue id again.
    const venue = record("iclr2025-Xy12Ab", "sparse attention routers for long-context retrieval");
    const cameraReady = record("iclr2025-Xy12Ab", "Sparse Attention Routers for Efficient Long-Context Retrieval");
    const forward = mergeDuplicates([venue, hf(), cameraReady]);
    const backward = mergeDuplicates([hf(), venue, cameraReady]);
    expect(forward.papers).toHaveLength(1);
    expect(backward.papers).toHaveLength(1);
    expect(backward.papers[0]!.id).toBe("2408.01234");
    expect(backward.merged).toBe(2);
  });
});
